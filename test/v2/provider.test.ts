import { afterAll, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk/v2"
import { mockProviderConfig } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"
import { specProblems } from "./spec-check"

// v2 providers, models and integrations: what a location can use now and how each provider
// connects, mapped from the catalog, config and credentials.

let server: TestServer
let client: ReturnType<typeof createOpencodeClient>
const URL = "http://127.0.0.1:9/v1"

beforeAll(async () => {
  const directory = tmpdir("v2-prov-")
  const config = mockProviderConfig(URL, {
    options: { timeout: 5000 },
    model: {
      release_date: "2031-02-03",
      modalities: { input: ["text", "image"], output: ["text"] },
      cost: { input: 1, output: 2, cache_read: 0.1, context_over_200k: { input: 3, output: 4 } },
      limit: { context: 100000, input: 90000, output: 8000 },
      options: { reasoningEffort: "low" },
      headers: { "X-Trace": "on", Authorization: "Bearer model-secret" },
    },
  })
  fs.writeFileSync(path.join(directory, "opencode.json"), JSON.stringify(config))
  process.env.ANTHROPIC_API_KEY = "sk-ant-env"
  server = await startTestServer({ directory })
  client = createOpencodeClient({ baseUrl: server.base, directory })
  const set = await server.client.auth.set({ path: { id: "openai" }, body: { type: "api", key: "sk-openai-stored" } })
  expect(set.data).toBe(true)
})

afterAll(async () => {
  delete process.env.ANTHROPIC_API_KEY
  await server?.stop()
})

test("providers: the usable ones, with their SDK package and endpoint, never their keys", async () => {
  const r = await client.v2.provider.list()
  expect(r.response.status).toBe(200)
  const ids = r.data!.data.map((p) => p.id)
  expect(ids).toEqual(expect.arrayContaining(["mock", "anthropic", "openai"]))
  expect(ids).not.toContain("groq")
  const mock = r.data!.data.find((p) => p.id === "mock")!
  expect(mock).toEqual({
    id: "mock",
    name: "Mock",
    api: { type: "aisdk", package: "@ai-sdk/openai-compatible", url: URL, settings: { timeout: 5000 } },
    request: { headers: {}, body: {} },
  })
  const text = JSON.stringify(r.data) + JSON.stringify((await client.v2.model.list()).data)
  for (const secret of ["test-key", "sk-ant-env", "sk-openai-stored", "model-secret"]) expect(text).not.toContain(secret)
})

test("provider.get: any known provider, usable or not; 404 with the spec's body otherwise", async () => {
  const groq = await client.v2.provider.get({ providerID: "groq" })
  expect(groq.response.status).toBe(200)
  expect(groq.data!.data.id).toBe("groq")
  expect(groq.data!.location.directory).toBe(server.directory)

  const missing = await client.v2.provider.get({ providerID: "no-such-provider" })
  expect(missing.response.status).toBe(404)
  // Every error body carries the request id beside the spec's fields.
  const { requestID, ...body } = missing.error as any
  expect(requestID).toBe(missing.response.headers.get("x-request-id"))
  expect(body).toEqual({ _tag: "ProviderNotFoundError", providerID: "no-such-provider", message: "Provider not found: no-such-provider" })
  expect(specProblems("v2.provider.get", body, "404")).toEqual([])
})

test("models: those of usable providers, newest release first, in the v2 shape", async () => {
  const r = await client.v2.model.list()
  expect(r.response.status).toBe(200)
  const models = r.data!.data
  const usable = new Set(["mock", "anthropic", "openai"])
  expect(models.every((m) => usable.has(m.providerID))).toBe(true)
  expect(models.some((m) => m.providerID === "anthropic")).toBe(true)
  const released = models.map((m) => m.time.released)
  expect(released).toEqual([...released].sort((a, b) => b - a))

  // The mock model's release date is the latest: it comes first.
  expect(models[0]).toEqual({
    id: "mock-model",
    providerID: "mock",
    name: "Mock Model",
    api: { id: "mock-model", type: "aisdk", package: "@ai-sdk/openai-compatible", url: URL },
    capabilities: { tools: true, input: ["text", "image"], output: ["text"] },
    request: { headers: { "X-Trace": "on", Authorization: "[redacted]" }, body: { reasoningEffort: "low" } },
    variants: [],
    time: { released: Date.parse("2031-02-03") },
    cost: [
      { input: 1, output: 2, cache: { read: 0.1, write: 0 } },
      { tier: { type: "context", size: 200000 }, input: 3, output: 4, cache: { read: 0, write: 0 } },
    ],
    status: "active",
    enabled: true,
    limit: { context: 100000, input: 90000, output: 8000 },
  })
})

test("integrations: key and env methods, connections from stored keys and set variables", async () => {
  const r = await client.v2.integration.list()
  expect(r.response.status).toBe(200)
  const list = r.data!.data
  const names = list.map((i) => i.name)
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)))
  // A provider defined only in config, with no key variables, has nothing to connect.
  expect(list.find((i) => i.id === "mock")).toBeUndefined()

  const anthropic = list.find((i) => i.id === "anthropic")!
  expect(anthropic.methods).toEqual([{ type: "key" }, { type: "env", names: ["ANTHROPIC_API_KEY"] }])
  expect(anthropic.connections).toEqual([{ type: "env", name: "ANTHROPIC_API_KEY" }])
  const openai = list.find((i) => i.id === "openai")!
  expect(openai.connections).toEqual([{ type: "credential", id: "openai", label: "API key" }])
  expect(list.find((i) => i.id === "groq")!.connections).toEqual([])
  expect(JSON.stringify(list)).not.toContain("sk-")

  const one = await client.v2.integration.get({ integrationID: "openai" })
  expect(one.data!.data).toEqual(openai)
  const missing = await client.v2.integration.get({ integrationID: "mock" })
  expect(missing.response.status).toBe(404)
  // The real server declares no 404 here; this one answers in the shape of its other not-found errors.
  expect(missing.error as unknown).toEqual({ _tag: "IntegrationNotFoundError", integrationID: "mock", message: "Integration not found: mock", requestID: missing.response.headers.get("x-request-id") })
})

test("every answer fits the real server's published schema", async () => {
  expect(specProblems("v2.provider.list", (await client.v2.provider.list()).data)).toEqual([])
  expect(specProblems("v2.provider.get", (await client.v2.provider.get({ providerID: "mock" })).data)).toEqual([])
  expect(specProblems("v2.model.list", (await client.v2.model.list()).data)).toEqual([])
  expect(specProblems("v2.integration.list", (await client.v2.integration.list()).data)).toEqual([])
  expect(specProblems("v2.integration.get", (await client.v2.integration.get({ integrationID: "anthropic" })).data)).toEqual([])
})

test("/doc lists the v2 operations with the real server's component names", async () => {
  const spec = await (await server.fetch("/doc", { headers: { accept: "application/json" } })).json()
  const ops = Object.values<any>(spec.paths).flatMap((m) => Object.values<any>(m).map((o) => o.operationId))
  for (const id of ["v2.agent.list", "v2.command.list", "v2.skill.list", "v2.reference.list", "v2.model.list", "v2.provider.list", "v2.provider.get", "v2.integration.list", "v2.integration.get"])
    expect(ops).toContain(id)
  for (const name of ["AgentV2Info", "CommandV2Info", "SkillV2Info", "ModelV2Info", "ProviderV2Info", "IntegrationInfo", "ReferenceInfo", "ProviderNotFoundError"])
    expect(spec.components.schemas).toHaveProperty(name)
})
