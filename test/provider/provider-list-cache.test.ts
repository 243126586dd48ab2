import { afterAll, afterEach, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { Paths } from "../../src/global/paths"
import { getInstance } from "../../src/project/instance"
import { listProviders, listProvidersJSON } from "../../src/provider"

// GET /provider is 7 MB of JSON: serialised once per registry build, not per request (the soak
// saw RSS swing by 100 MB under mixed GETs). The kept copy must still follow every change.
let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.stop())
afterEach(() => {
  delete process.env.ANTHROPIC_API_KEY
  fs.rmSync(path.join(Paths.data, "auth.json"), { force: true })
})

test("the provider list is serialised once per registry build and is what GET /provider answers", async () => {
  const instance = await getInstance(server.directory)
  const first = await listProvidersJSON(instance)
  expect(await listProvidersJSON(instance)).toBe(first)
  const r = await server.fetch("/provider")
  expect(r.status).toBe(200)
  expect(r.headers.get("content-type")).toStartWith("application/json")
  const body = await r.text()
  expect(body).toBe(await first.text())
  expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(await listProviders(instance))))
})

test("a new credential rebuilds it: GET /provider shows the provider connected", async () => {
  const before = (await server.client.provider.list()).data!
  expect(before.connected).not.toContain("anthropic")
  process.env.ANTHROPIC_API_KEY = "sk-ant-cache-test"
  const after = (await server.client.provider.list()).data!
  expect(after.connected).toContain("anthropic")
  delete process.env.ANTHROPIC_API_KEY
  expect((await server.client.provider.list()).data!.connected).not.toContain("anthropic")
})
