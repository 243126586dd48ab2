import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { mockProviderConfig } from "../helpers/mock-llm"
import { tmpdir } from "../helpers/tmp"
import { Paths } from "../../src/global/paths"

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.stop())
afterEach(() => {
  delete process.env.ANTHROPIC_API_KEY
  fs.rmSync(path.join(Paths.data, "auth.json"), { force: true })
})

describe("provider routes", () => {
  test("GET /provider lists the bundled catalog; nothing is connected without credentials", async () => {
    const { data, error } = await server.client.provider.list()
    expect(error).toBeUndefined()
    const ids = data!.all.map((p) => p.id)
    for (const id of ["anthropic", "openai", "google", "openrouter", "groq", "deepseek"]) expect(ids).toContain(id)
    const anthropic = data!.all.find((p) => p.id === "anthropic")! as any
    expect(anthropic.env).toEqual(["ANTHROPIC_API_KEY"])
    const model = anthropic.models[data!.default.anthropic]
    expect(model.providerID).toBe("anthropic")
    expect(model.api.npm).toBe("@ai-sdk/anthropic")
    expect(model.capabilities.toolcall).toBe(true)
    expect(model.cost.input).toBeGreaterThan(0)
    expect(model.limit.context).toBeGreaterThan(0)
    expect(data!.connected).toEqual([])
    expect((await server.client.config.providers()).data).toEqual({ providers: [], default: {} })
  })

  test("GET /provider also carries the v1 SDK's flat model fields; /config/providers does not", async () => {
    const { data } = await server.client.provider.list()
    const anthropic = data!.all.find((p) => p.id === "anthropic")!
    expect(anthropic.npm).toBe("@ai-sdk/anthropic")
    const model = anthropic.models[data!.default.anthropic]
    // What the v1 types promise...
    expect(model.tool_call).toBe(true)
    expect(typeof model.attachment).toBe("boolean")
    expect(typeof model.reasoning).toBe("boolean")
    expect(model.release_date).toMatch(/^\d{4}-\d{2}/)
    expect(model.modalities!.input).toContain("text")
    expect(model.cost!.cache_read).toBe((model as any).cost.cache.read)
    expect(model.provider).toEqual({ npm: "@ai-sdk/anthropic" })
    // ...beside what opencode 1.18 reads.
    expect((model as any).capabilities.toolcall).toBe(true)
    process.env.ANTHROPIC_API_KEY = "sk-ant-test"
    const connected = (await server.client.config.providers()).data!.providers[0]
    expect(Object.values(connected.models)[0]).not.toHaveProperty("tool_call")
  })

  test("an env var connects its provider without exposing the key", async () => {
    process.env.ANTHROPIC_API_KEY = "sk-ant-env-secret"
    const { data } = await server.client.config.providers()
    expect(data!.providers.map((p) => p.id)).toEqual(["anthropic"])
    expect(data!.providers[0].source).toBe("env")
    expect(data!.default.anthropic).toContain("claude")
    expect(JSON.stringify(data)).not.toContain("sk-ant-env-secret")
    expect((await server.client.provider.list()).data!.connected).toEqual(["anthropic"])
  })

  test("a key for a provider we cannot reach (SDK not bundled, no endpoint) does not connect it", async () => {
    process.env.AZURE_API_KEY = "k"
    try {
      const { data } = await server.client.provider.list()
      expect(data!.all.map((p) => p.id)).toContain("azure")
      expect(data!.connected).not.toContain("azure")
    } finally {
      delete process.env.AZURE_API_KEY
    }
  })

  test("PUT /auth stores an owner-only credential that connects the provider; DELETE removes it", async () => {
    const set = await server.client.auth.set({ path: { id: "openai" }, body: { type: "api", key: "sk-stored-secret" } })
    expect(set.data).toBe(true)
    const file = path.join(Paths.data, "auth.json")
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.statSync(Paths.data).mode & 0o777).toBe(0o700)
    expect(JSON.parse(fs.readFileSync(file, "utf8")).openai).toEqual({ type: "api", key: "sk-stored-secret" })

    const { data } = await server.client.config.providers()
    expect(data!.providers.map((p) => p.id)).toEqual(["openai"])
    expect(data!.providers[0].source).toBe("api")
    expect(JSON.stringify(data)).not.toContain("sk-stored-secret")

    const del = await server.fetch("/auth/openai", { method: "DELETE" })
    expect(await del.json()).toBe(true)
    expect((await server.fetch("/auth/openai", { method: "DELETE" }).then((r) => r.json()))).toBe(false)
    expect((await server.client.config.providers()).data!.providers).toEqual([])
  })

  test("PUT /auth rejects bodies that are not an Auth", async () => {
    for (const body of [{ type: "api" }, { type: "api", key: "" }, { type: "password", key: "x" }, { type: "oauth", access: "a" }]) {
      const res = await server.fetch("/auth/openai", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      expect(res.status).toBe(400)
      expect((await res.json()).name).toBe("BadRequest")
    }
    const badId = await server.fetch("/auth/..%2Fx", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "api", key: "k" }) })
    expect(badId.status).toBe(400)
    expect(fs.existsSync(path.join(Paths.data, "auth.json"))).toBe(false)
  })

  test("GET /provider/auth: an API key everywhere, sign-ins where they exist; a key method authorizes to null", async () => {
    const { data } = await server.client.provider.auth()
    expect(data!.anthropic).toEqual([{ type: "api", label: "API key" }])
    expect(data!["github-copilot"]![0]).toMatchObject({ type: "oauth", label: "Login with GitHub Copilot" })
    expect(data!.openai!.map((m) => m.type)).toEqual(["oauth", "oauth", "oauth", "api"])
    const res = await server.client.provider.oauth.authorize({ path: { id: "anthropic" }, body: { method: 0 } })
    expect(res.response.status).toBe(200)
    expect(res.data as unknown).toBeNull()
    const cb = await server.client.provider.oauth.callback({ path: { id: "anthropic" }, body: { method: 0, code: "x" } })
    expect(cb.response.status).toBe(400)
    expect(cb.error).toMatchObject({ name: "ProviderAuthOauthMissing", data: { providerID: "anthropic" } })
    expect((cb.error as any).data.message).toContain("POST /provider/anthropic/oauth/authorize")
    const none = await server.client.provider.oauth.authorize({ path: { id: "anthropic" }, body: { method: 5 } })
    expect(none.response.status).toBe(400)
    expect((none.error as any).data.message).toContain("GET /provider/auth")
  })

  test("a provider defined in opencode.json is listed with its models, costs and limits", async () => {
    const dir = tmpdir()
    fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(mockProviderConfig("http://127.0.0.1:9/v1")))
    const { data } = await server.sdk(dir).config.providers()
    expect(data!.providers.map((p) => p.id)).toEqual(["mock"])
    const mock = data!.providers[0]
    expect(mock).toMatchObject({ id: "mock", name: "Mock", source: "config", options: { baseURL: "http://127.0.0.1:9/v1" } })
    expect(mock.options.apiKey).toBeUndefined()
    expect(mock.models["mock-model"]).toMatchObject({
      id: "mock-model",
      name: "Mock Model",
      api: { id: "mock-model", url: "http://127.0.0.1:9/v1", npm: "@ai-sdk/openai-compatible" },
      cost: { input: 1, output: 2, cache: { read: 0, write: 0 } },
      limit: { context: 100000, output: 8000 },
      capabilities: { toolcall: true, reasoning: true, attachment: true },
    })
    expect(data!.default).toEqual({ mock: "mock-model" })
  })
})
