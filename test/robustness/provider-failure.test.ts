import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { startMockLLM, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { project } from "../helpers/harness"
import { assertSettled, text } from "./lib"

// A provider failing mid-stream after the reply already produced text and tool results: what
// the user saw stays, unless a retry sends it again.

let llm: MockLLM
let server: TestServer

beforeAll(async () => {
  llm = await startMockLLM()
  server = await startTestServer({ directory: project(llm) })
})
afterAll(async () => {
  await server.stop()
  await llm.stop()
})

async function start() {
  const dir = project(llm, { files: { "a.txt": "alpha\n" } })
  const c = server.sdk(dir)
  const sse = sseReader(await server.fetch("/event?directory=" + encodeURIComponent(dir)))
  await sse.next((e) => e.data.type === "server.connected")
  const id = (await c.session.create({ body: {} })).data!.id
  return { c, id, sse }
}

const NOT_RETRYABLE = { error: { status: 400, body: { error: { message: "the provider gave up", type: "invalid_request_error" } } } }
const removedIds = (events: Array<{ data: any }>) => events.filter((e) => e.data.type === "message.part.removed").map((e) => e.data.properties.partID)

describe("provider failure mid-stream", () => {
  test("a final failure keeps the earlier step's text and tool result and this step's partial text", async () => {
    const { c, id, sse } = await start()
    llm.enqueue({ text: "Let me read it.", toolCalls: [{ name: "read", args: { filePath: "a.txt" } }] }, { broken: true, text: "The file says alp" }, NOT_RETRYABLE)
    const reply = (await c.session.prompt({ path: { id }, body: text("what is in a.txt?") })).data!
    expect((reply.info as any).error).toMatchObject({ name: "APIError", data: { message: "the provider gave up" } })
    await sse.next((e) => e.data.type === "session.idle")
    const history = await assertSettled(c, id)
    expect(history.map((m) => m.info.role)).toEqual(["user", "assistant", "assistant"])
    expect(history[1].parts.find((p) => p.type === "text")).toMatchObject({ text: "Let me read it." })
    expect((history[1].parts.find((p) => p.type === "tool") as any).state).toMatchObject({ status: "completed", output: expect.stringContaining("alpha") })
    const partial = history[2].parts.find((p) => p.type === "text") as any
    expect(partial?.text).toBe("The file says alp")
    expect(history[2].parts.some((p) => p.type === "retry")).toBe(true)
    expect(removedIds(sse.events)).toEqual([])
    expect(sse.events.some((e) => e.data.type === "session.error")).toBe(true)
    sse.cancel()
  })

  test("a retry that answers withdraws the partial text as it starts re-sending; the answer is not doubled", async () => {
    const { c, id, sse } = await start()
    llm.enqueue({ broken: true, text: "partial answ" }, { text: "complete answer" })
    const reply = (await c.session.prompt({ path: { id }, body: text("hi") })).data!
    expect(reply.parts.filter((p) => p.type === "text").map((p: any) => p.text)).toEqual(["complete answer"])
    const partial = sse.events.find((e) => e.data.type === "message.part.updated" && e.data.properties.part.text === "partial answ")!
    const removedAt = sse.events.findIndex((e) => e.data.type === "message.part.removed" && e.data.properties.partID === partial.data.properties.part.id)
    const resentAt = sse.events.findIndex((e) => e.data.type === "message.part.delta" && e.data.properties.delta.startsWith("complete"))
    expect(removedAt).toBeGreaterThan(-1)
    expect(removedAt).toBeLessThan(resentAt)
    sse.cancel()
  })

  test("a stream dropped after a tool call: the call that never ran is closed as an error, the text stays", async () => {
    const { c, id, sse } = await start()
    llm.enqueue({ broken: true, text: "Checking.", toolCalls: [{ name: "read", args: { filePath: "a.txt" } }] }, NOT_RETRYABLE)
    const reply = (await c.session.prompt({ path: { id }, body: text("check") })).data!
    expect((reply.info as any).error.name).toBe("APIError")
    const history = await assertSettled(c, id)
    const last = history.at(-1)!
    expect(last.parts.find((p) => p.type === "text")).toMatchObject({ text: "Checking." })
    const tool = last.parts.find((p) => p.type === "tool") as any
    expect(tool.state).toMatchObject({ status: "error", error: expect.stringContaining("Not run"), input: { filePath: "a.txt" } })
    sse.cancel()
  })

  test("retries exhausted: the last partial output stays with the error", async () => {
    const { c, id, sse } = await start()
    const again = { error: { status: 500, headers: { "retry-after-ms": "0" } } }
    llm.enqueue({ broken: true, text: "first try" }, again, again, again, again, again)
    const reply = (await c.session.prompt({ path: { id }, body: text("hi") })).data!
    expect((reply.info as any).error).toMatchObject({ name: "APIError", data: { statusCode: 500 } })
    expect(reply.parts.filter((p) => p.type === "retry").length).toBe(5)
    expect(reply.parts.filter((p) => p.type === "text").map((p: any) => p.text)).toEqual(["first try"])
    expect(llm.pending()).toBe(0)
    await assertSettled(c, id)
    sse.cancel()
  })

  test("the kept partial text is part of the history the next prompt sends", async () => {
    const { c, id } = await start()
    llm.enqueue({ broken: true, text: "Half of it" }, NOT_RETRYABLE)
    await c.session.prompt({ path: { id }, body: text("first") })
    llm.enqueue({ text: "ok" })
    const reply = (await c.session.prompt({ path: { id }, body: text("second") })).data!
    expect(reply.info.error).toBeUndefined()
    const sent = llm.requests.at(-1).messages.filter((m: any) => m.role !== "system")
    expect(sent).toEqual([
      { role: "user", content: "first" },
      { role: "assistant", content: "Half of it" },
      { role: "user", content: "second" },
    ])
  })
})
