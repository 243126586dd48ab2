import { test, expect, beforeAll, afterAll, describe } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startMockLLM, mockProviderConfig, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"

// A provider that answers and then goes silent must not keep a prompt waiting forever.
let llm: MockLLM
let server: TestServer
beforeAll(async () => {
  llm = await startMockLLM()
  server = await startTestServer()
})
afterAll(async () => {
  await server.stop()
  await llm.stop()
})

function project(options: Record<string, unknown>) {
  const dir = tmpdir("stall-")
  const config = mockProviderConfig(llm.url, { options, extra: { agent: { title: { disable: true } } } })
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(config))
  return dir
}

describe("a silent provider", () => {
  test("a stream that stops sending is ended by the chunk timeout and retried", async () => {
    const c = server.sdk(project({ chunkTimeout: 300 }))
    const s = (await c.session.create({ body: {} })).data!
    llm.enqueue({ hang: true, text: "half an ans" }, { text: "the whole answer" })
    const t0 = Date.now()
    const reply = (await c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "text", text: "hi" }] } })).data!
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300)
    expect((reply.info as any).error).toBeUndefined()
    expect(reply.parts.some((p) => p.type === "retry")).toBe(true)
    expect(reply.parts.filter((p) => p.type === "text").map((p: any) => p.text)).toContain("the whole answer")
  })

  test("a provider that never sends headers is given up on and retried", async () => {
    const c = server.sdk(project({ headerTimeout: 200 }))
    const s = (await c.session.create({ body: {} })).data!
    llm.enqueue({ silent: true }, { text: "late but here" })
    const reply = (await c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "text", text: "hi" }] } })).data!
    expect((reply.info as any).error).toBeUndefined()
    const retry = reply.parts.find((p) => p.type === "retry") as any
    expect(retry.error.data.message).toContain("no response headers within 0.2 s")
    expect(reply.parts.filter((p) => p.type === "text").map((p: any) => p.text)).toContain("late but here")
  })
})
