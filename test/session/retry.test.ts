import { test, expect, describe } from "bun:test"
import { newSession, useHarness, project, events, text } from "../helpers/harness"

const h = useHarness()

const session = () => newSession(h)

describe("provider failures", () => {
  test("429 then success: waits as Retry-After asks, records a retry part and a retry status", async () => {
    const { dir, c, s } = await session()
    const sse = await events(h.server, dir)
    h.llm.enqueue({ error: { status: 429, headers: { "retry-after-ms": "300" } } }, { text: "made it" })
    const t0 = Date.now()
    const reply = (await c.session.prompt({ path: { id: s.id }, body: text("hi") })).data!
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300)
    expect((reply.info as any).error).toBeUndefined()
    expect(reply.parts.map((p) => p.type)).toEqual(["step-start", "retry", "text", "step-finish"])
    const retry = reply.parts[1] as any
    expect(retry.attempt).toBe(1)
    expect(retry.error.name).toBe("APIError")
    expect(retry.error.data.statusCode).toBe(429)
    expect(retry.error.data.isRetryable).toBe(true)
    expect((reply.parts[2] as any).text).toBe("made it")
    const status = await sse.next((e) => e.data.type === "session.status" && e.data.properties.status.type === "retry")
    expect(status.data.properties.status.attempt).toBe(1)
    expect(status.data.properties.status.next).toBeGreaterThanOrEqual(t0 + 300)
    expect(status.data.properties.status.message).toContain("429")
    await sse.next((e) => e.data.type === "session.idle")
    expect(sse.events.some((e) => e.data.type === "session.error")).toBe(false)
    sse.cancel()
  })

  test("a stream dropped mid-answer is retried; the partial text is withdrawn", async () => {
    const { dir, c, s } = await session()
    const sse = await events(h.server, dir)
    h.llm.enqueue({ broken: true, text: "partial answ" }, { text: "complete answer" })
    const reply = (await c.session.prompt({ path: { id: s.id }, body: text("hi") })).data!
    expect(reply.parts.map((p) => p.type)).toEqual(["step-start", "retry", "text", "step-finish"])
    expect((reply.parts[2] as any).text).toBe("complete answer")
    const partial = sse.events.find((e) => e.data.type === "message.part.updated" && e.data.properties.part.text === "partial answ")
    expect(partial).toBeDefined()
    const removed = await sse.next((e) => e.data.type === "message.part.removed")
    expect(removed.data.properties.partID).toBe(partial!.data.properties.part.id)
    sse.cancel()
  })

  test("server errors are retried too; the history sent again is the same", async () => {
    const { c, s } = await session()
    h.llm.enqueue({ error: { status: 503, headers: { "retry-after": "0" } } }, { text: "ok" })
    const before = h.llm.requests.length
    await c.session.prompt({ path: { id: s.id }, body: text("same question") })
    const [first, second] = h.llm.requests.slice(before)
    expect(second.messages).toEqual(first.messages)
  })

  test("a non-retryable error is stored as APIError and published as session.error", async () => {
    const { dir, c, s } = await session()
    const sse = await events(h.server, dir)
    h.llm.enqueue({ error: { status: 400, body: { error: { message: "context too long", type: "invalid_request_error" } } } })
    const before = h.llm.requests.length
    const reply = (await c.session.prompt({ path: { id: s.id }, body: text("hi") })).data!
    const error = (reply.info as any).error
    expect(error.name).toBe("APIError")
    expect(error.data.statusCode).toBe(400)
    expect(error.data.message).toBe("context too long")
    expect(error.data.isRetryable).toBe(false)
    expect(error.data.responseBody).toContain("invalid_request_error")
    expect(h.llm.requests.length - before).toBe(1)
    const ev = await sse.next((e) => e.data.type === "session.error")
    expect(ev.data.properties).toMatchObject({ sessionID: s.id, error: { name: "APIError" } })
    await sse.next((e) => e.data.type === "session.idle")
    // The user's message is kept; the session takes the next prompt normally.
    h.llm.enqueue({ text: "fine now" })
    const next = (await c.session.prompt({ path: { id: s.id }, body: text("again") })).data!
    expect((next.info as any).error).toBeUndefined()
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    expect(history.map((m) => m.info.role)).toEqual(["user", "assistant", "user", "assistant"])
    // The failed empty reply is not sent back to the model.
    expect(h.llm.requests.at(-1).messages.filter((m: any) => m.role !== "system").map((m: any) => m.role)).toEqual(["user", "user"])
    sse.cancel()
  })

  test("retries stop after a bounded number of attempts", async () => {
    const { c, s } = await session()
    for (let i = 0; i < 6; i++) h.llm.enqueue({ error: { status: 429, headers: { "retry-after-ms": "0" } } })
    const reply = (await c.session.prompt({ path: { id: s.id }, body: text("hi") })).data!
    expect((reply.info as any).error).toMatchObject({ name: "APIError", data: { statusCode: 429 } })
    expect(reply.parts.filter((p) => p.type === "retry").length).toBe(5)
    expect(h.llm.pending()).toBe(0)
  })
})
