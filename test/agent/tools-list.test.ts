import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"
import { mockProviderConfig } from "../helpers/mock-llm"

const STDIO = path.join(import.meta.dir, "../mcp/fixtures/stdio-server.ts")

let server: TestServer
let dir: string
beforeAll(async () => {
  dir = tmpdir()
  const config = mockProviderConfig("http://127.0.0.1:9/v1", {
    extra: {
      agent: { reader: { tools: { bash: false, "fixture_*": false } } },
      mcp: { fixture: { type: "local", command: [process.execPath, STDIO] } },
    },
  })
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(config))
  server = await startTestServer({ directory: dir })
})
afterAll(async () => {
  await server.stop()
})

describe("tools list", () => {
  test("GET /experimental/tool/ids lists built-in and MCP tools", async () => {
    const res = await server.client.tool.ids()
    expect(res.response.status).toBe(200)
    expect(res.data).toEqual(expect.arrayContaining(["bash", "read", "edit", "write", "fixture_echo"]))
  })

  test("GET /experimental/tool gives each tool's description and JSON Schema", async () => {
    const res = await server.client.tool.list({ query: { provider: "mock", model: "mock-model" } })
    expect(res.response.status).toBe(200)
    const tools = res.data!
    const bash = tools.find((t) => t.id === "bash")!
    expect(bash.description.length).toBeGreaterThan(50)
    const schema = bash.parameters as any
    expect(schema.type).toBe("object")
    expect(schema.properties.command.type).toBe("string")
    expect(schema.required).toContain("command")
    const echo = tools.find((t) => t.id === "fixture_echo")!
    expect(echo.description).toBe("Echo the text back")
    expect((echo.parameters as any).properties.text.type).toBe("string")
  })

  test("an agent's tools switches narrow the list", async () => {
    const res = await server.fetch(`/experimental/tool?provider=mock&model=mock-model&agent=reader`)
    const body = await res.json()
    expect({ status: res.status, body: res.status === 200 ? "ok" : body }).toEqual({ status: 200, body: "ok" })
    const ids = (body as Array<{ id: string }>).map((t) => t.id)
    expect(ids).toContain("read")
    expect(ids).not.toContain("bash")
    expect(ids.filter((id) => id.startsWith("fixture_"))).toEqual([])
  })

  test("unknown provider, model or agent: 400 naming it", async () => {
    const badProvider = await server.client.tool.list({ query: { provider: "nope", model: "mock-model" } })
    expect(badProvider.response.status).toBe(400)
    expect(JSON.stringify(badProvider.error)).toContain("nope")
    const badModel = await server.client.tool.list({ query: { provider: "mock", model: "mock-mod" } })
    expect(badModel.response.status).toBe(400)
    expect((badModel.error as any).data.suggestions).toEqual(["mock-model"])
    const badAgent = await server.fetch(`/experimental/tool?provider=mock&model=mock-model&agent=ghost`)
    expect(badAgent.status).toBe(400)
    const missing = await server.fetch(`/experimental/tool?provider=mock`)
    expect(missing.status).toBe(400)
  })
})
