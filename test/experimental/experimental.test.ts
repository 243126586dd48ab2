import { afterAll, beforeAll, expect, test } from "bun:test"
import { createOpencodeClient } from "@opencode-ai/sdk/v2"
import { startTestServer, type TestServer } from "../helpers/server"

// Endpoints the opencode 1.18 TUI reads at start-up or from its dialogs, for features this
// server does not have: each answers with the spec's shape and says there is nothing, and
// the ones that would act fail clearly.

let server: TestServer
let client: ReturnType<typeof createOpencodeClient>

beforeAll(async () => {
  server = await startTestServer()
  client = createOpencodeClient({ baseUrl: server.base, directory: server.directory })
})
afterAll(() => server.stop())

test("capabilities: subagents never go to the background", async () => {
  const r = await client.experimental.capabilities.get()
  expect(r.response.status).toBe(200)
  expect(r.data).toEqual({ backgroundSubagents: false })
})

test("console: no managed providers, no orgs, and switching fails naming the org", async () => {
  expect((await client.experimental.console.get()).data).toEqual({ consoleManagedProviders: [], switchableOrgCount: 0 })
  expect((await client.experimental.console.listOrgs()).data).toEqual({ orgs: [] })
  const r = await client.experimental.console.switchOrg({ accountID: "acc_1", orgID: "org_9" })
  expect(r.response.status).toBe(400)
  expect(JSON.stringify(r.error)).toContain("org_9")
  const missing = await server.fetch("/experimental/console/switch", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ orgID: "x" }) })
  expect(missing.status).toBe(400)
  expect(await missing.text()).toContain("accountID")
})

test("workspaces, workspace adapters and MCP resources: empty", async () => {
  expect((await client.experimental.workspace.list()).data).toEqual([])
  expect((await client.experimental.workspace.status()).data).toEqual([])
  expect((await client.experimental.workspace.adapter.list()).data).toEqual([])
  expect((await client.experimental.resource.list()).data).toEqual({})
})

test("questions: none pending; replying or rejecting names the unknown request", async () => {
  expect((await client.question.list()).data).toEqual([])
  const reply = await client.question.reply({ requestID: "que_missing", answers: [["yes"]] })
  expect(reply.response.status).toBe(404)
  expect(JSON.stringify(reply.error)).toContain("que_missing")
  const reject = await client.question.reject({ requestID: "que_other" })
  expect(reject.response.status).toBe(404)
  expect(JSON.stringify(reject.error)).toContain("que_other")
  const bad = await server.fetch("/question/que_x/reply", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ answers: "yes" }) })
  expect(bad.status).toBe(400)
})

test("skills: none", async () => {
  const r = await client.app.skills()
  expect(r.response.status).toBe(200)
  expect(r.data).toEqual([])
})

test("a directory that does not exist is a 400 naming it", async () => {
  const r = await server.fetch("/experimental/capabilities?directory=" + encodeURIComponent("/nowhere/at/all"))
  expect(r.status).toBe(400)
  expect(await r.text()).toContain("/nowhere/at/all")
})

test("every new route is in /doc with the reference operationId", async () => {
  const doc = await (await server.fetch("/doc", { headers: { accept: "application/json" } })).json()
  const ids = Object.values(doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId))
  for (const id of [
    "experimental.capabilities.get",
    "experimental.console.get",
    "experimental.console.listOrgs",
    "experimental.console.switchOrg",
    "experimental.workspace.list",
    "experimental.workspace.status",
    "experimental.workspace.adapter.list",
    "experimental.resource.list",
    "question.list",
    "question.reply",
    "question.reject",
    "app.skills",
    "project.directories",
    "vcs.status",
    "vcs.diff",
    "vcs.diff.raw",
    "vcs.apply",
    "v2.location.get",
    "v2.fs.find",
  ])
    expect(ids).toContain(id)
})
