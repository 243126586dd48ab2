import { test, expect, describe } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { newSession, useHarness, project, events, text, until } from "../helpers/harness"
import { alive } from "../helpers/wait"

const h = useHarness()

const session = () => newSession(h)

describe("abort", () => {
  test("stops a hanging stream within a second, keeps what streamed, closes the message", async () => {
    const { dir, c, s } = await session()
    const sse = await events(h.server, dir)
    h.llm.enqueue({ hang: true, text: "partial words" })
    await c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    await sse.next((e) => e.data.type === "message.part.delta" && e.data.properties.delta.includes("partial"))
    const t0 = Date.now()
    expect((await c.session.abort({ path: { id: s.id } })).data).toBe(true)
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === s.id)
    expect(Date.now() - t0).toBeLessThan(1000)
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    const reply = history.at(-1)!
    expect(reply.info.role).toBe("assistant")
    expect((reply.info as any).error.name).toBe("MessageAbortedError")
    expect((reply.info as any).time.completed).toBeDefined()
    const part = reply.parts.find((p) => p.type === "text") as any
    expect(part.text).toBe("partial words")
    expect(part.time.end).toBeDefined()
    expect((await c.session.status()).data).toEqual({})
    expect((await c.session.abort({ path: { id: s.id } })).data).toBe(false)
    sse.cancel()
  })

  test("kills a running tool process within a second", async () => {
    const { dir, c, s } = await session()
    const pidFile = path.join(dir, "sleeper.pid")
    h.llm.enqueue({ toolCalls: [{ name: "bash", args: { command: `sh -c 'echo $$ > ${pidFile}; exec sleep 30'` } }] })
    await c.session.promptAsync({ path: { id: s.id }, body: text("run it") })
    const pid = Number(await until(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim(), 5000, "pid file"))
    expect(alive(pid)).toBe(true)
    const t0 = Date.now()
    await c.session.abort({ path: { id: s.id } })
    await until(async () => Object.keys((await c.session.status()).data!).length === 0, 1000, "idle")
    await until(() => !alive(pid), 1000, "sleep killed")
    expect(Date.now() - t0).toBeLessThan(1000)
    const reply = (await c.session.messages({ path: { id: s.id } })).data!.at(-1)!
    const tool = reply.parts.find((p) => p.type === "tool") as any
    expect(tool.state.status).toBe("error")
    expect(tool.state.error).toContain("Abort")
    expect((reply.info as any).error.name).toBe("MessageAbortedError")
    // Nothing more was asked of the model after the abort.
    expect(h.llm.pending()).toBe(0)
  })
})

describe("queueing", () => {
  test("prompt_async stores the message and marks the session busy before answering", async () => {
    const { c, s } = await session()
    h.llm.enqueue({ text: "later", delay: 30 })
    const r = await c.session.promptAsync({ path: { id: s.id }, body: text("hello") })
    expect(r.response.status).toBe(204)
    expect((await c.session.status()).data![s.id]).toEqual({ type: "busy" })
    const msgs = (await c.session.messages({ path: { id: s.id } })).data!
    expect(msgs[0].info.role).toBe("user")
    expect(msgs[0].parts[0]).toMatchObject({ type: "text", text: "hello" })
    await until(async () => (await c.session.status()).data![s.id] === undefined, 5000, "idle")
  })

  test("a prompt sent while busy waits its turn and sees the finished history", async () => {
    const { c, s } = await session()
    h.llm.enqueue({ text: "answer one", delay: 20 }, { text: "answer two" })
    await c.session.promptAsync({ path: { id: s.id }, body: text("one") })
    const second = await c.session.prompt({ path: { id: s.id }, body: text("two") })
    expect(second.data!.parts.find((p) => p.type === "text")).toMatchObject({ text: "answer two" })
    const convo = h.llm.requests.at(-1).messages.filter((m: any) => m.role !== "system").map((m: any) => [m.role, m.content])
    expect(convo).toEqual([
      ["user", "one"],
      ["assistant", "answer one"],
      ["user", "two"],
    ])
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    const [u1, u2] = history.filter((m) => m.info.role === "user")
    const replies = history.filter((m) => m.info.role === "assistant") as any[]
    expect(replies.map((m) => m.info.parentID)).toEqual([u1.info.id, u2.info.id])
  })

  test("abort cancels the queued prompts too; their user messages stay", async () => {
    const { dir, c, s } = await session()
    const sse = await events(h.server, dir)
    h.llm.enqueue({ hang: true })
    const before = h.llm.requests.length
    await c.session.promptAsync({ path: { id: s.id }, body: text("first") })
    const queued = c.session.prompt({ path: { id: s.id }, body: text("second") })
    await until(async () => (await c.session.messages({ path: { id: s.id } })).data!.filter((m) => m.info.role === "user").length === 2, 2000, "queued")
    await until(() => h.llm.requests.length > before, 2000, "first request")
    await c.session.abort({ path: { id: s.id } })
    const cancelled = (await queued).data!
    expect((cancelled.info as any).error.name).toBe("MessageAbortedError")
    await sse.next((e) => e.data.type === "session.idle")
    await Bun.sleep(50)
    expect(h.llm.requests.length - before).toBe(1)
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    expect(history.filter((m) => m.info.role === "user").map((m) => (m.parts[0] as any).text)).toEqual(["first", "second"])
    expect(history.filter((m) => m.info.role === "assistant").every((m) => (m.info as any).error?.name === "MessageAbortedError")).toBe(true)
    sse.cancel()
  })

  test("two sessions run at the same time", async () => {
    const a = await session()
    const b = await session()
    const arrived: number[] = []
    // Each reply streams for ~6 x 80 ms; one after the other, the second request would come
    // only when the first reply is over.
    const slow = (t: string) => () => (arrived.push(Date.now()), { text: t, delay: 80 })
    h.llm.enqueue(slow("alpha beta gamma"), slow("one two three"))
    const pa = a.c.session.prompt({ path: { id: a.s.id }, body: text("a") })
    const pb = b.c.session.prompt({ path: { id: b.s.id }, body: text("b") })
    await until(async () => {
      const st = (await a.c.session.status()).data!
      const sb = (await b.c.session.status()).data!
      return st[a.s.id]?.type === "busy" && sb[b.s.id]?.type === "busy"
    }, 2000, "both busy")
    const [ra, rb] = await Promise.all([pa, pb])
    const texts = [ra, rb].map((r) => (r.data!.parts.find((p) => p.type === "text") as any).text).sort()
    expect(texts).toEqual(["alpha beta gamma", "one two three"])
    expect(arrived.length).toBe(2)
    expect(Math.abs(arrived[1] - arrived[0])).toBeLessThan(400)
  })
})
