import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { reap, type ServeProcess } from "../cli/serve-process"
import { startMockLLM, type MockLLM, type MockStep } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { project } from "../helpers/harness"
import { assertSettled, childServer, killMarked, processesWith, text, until } from "./lib"

// Many prompts at once, deleting and disposing what is busy, and stopping the server mid-reply.

const MARK = `conc-${process.pid}-${Date.now()}`
const procs: ServeProcess[] = []
let llm: MockLLM
let server: TestServer

beforeAll(async () => {
  llm = await startMockLLM()
  server = await startTestServer({ directory: project(llm) })
})
afterAll(async () => {
  reap(procs)
  await server.stop()
  await llm.stop()
  killMarked(MARK)
})

/** A reply naming the prompt it answers, whichever session's request arrives first. */
const echo =
  (extra: Partial<MockStep> = {}) =>
  (body: any): MockStep => {
    const last = body.messages.findLast((m: any) => m.role === "user")
    const said = typeof last.content === "string" ? last.content : last.content.map((c: any) => c.text).join("")
    return { text: `answer to ${said}`, ...extra } as MockStep
  }

async function session(extra: Record<string, unknown> = {}) {
  const dir = project(llm, { extra })
  const c = server.sdk(dir)
  return { dir, c, id: (await c.session.create({ body: {} })).data!.id }
}

const userText = (m: any) => m.parts.find((p: any) => p.type === "text")?.text

describe("concurrency", () => {
  test("20 prompt_async calls back to back: all stored in order, all answered in order", async () => {
    const { c, id } = await session()
    for (let i = 0; i < 20; i++) llm.enqueue(echo())
    const sent = Array.from({ length: 20 }, (_, i) => `prompt ${i}`)
    for (const s of sent) expect((await c.session.promptAsync({ path: { id }, body: text(s) })).response.status).toBe(204)
    await until(async () => (await c.session.status()).data![id] === undefined, 15_000, "all answered")
    const history = await assertSettled(c, id)
    const users = history.filter((m) => m.info.role === "user")
    expect(users.map(userText)).toEqual(sent)
    // Each prompt is answered by the reply right after it (in id order), naming it.
    const answers = users.map((u) => history.find((m) => m.info.role === "assistant" && (m.info as any).parentID === u.info.id))
    expect(answers.map((a) => (a!.parts.find((p) => p.type === "text") as any).text)).toEqual(sent.map((s) => `answer to ${s}`))
    const order = answers.map((a) => a!.info.id)
    expect([...order].sort()).toEqual(order)
    expect(llm.pending()).toBe(0)
  }, 20_000)

  test("5 sessions in parallel all finish, at the same time rather than one after another", async () => {
    const sessions = await Promise.all(Array.from({ length: 5 }, () => session()))
    for (let i = 0; i < 5; i++) llm.enqueue(echo({ delay: 40, chunks: 10 }))
    const t0 = Date.now()
    const replies = await Promise.all(sessions.map((s, i) => s.c.session.prompt({ path: { id: s.id }, body: text(`parallel ${i}`) })))
    const took = Date.now() - t0
    replies.forEach((r, i) => expect(r.data!.parts.find((p) => p.type === "text")).toMatchObject({ text: `answer to parallel ${i}` }))
    // Each reply streams for ~400 ms; one after another would take 2 s.
    expect(took).toBeLessThan(1500)
    for (const s of sessions) await assertSettled(s.c, s.id)
  })

  test("DELETE of a busy session stops its tool process and leaves nothing behind", async () => {
    const marker = `${MARK}-delete`
    const { dir, c, id } = await session()
    const sse = sseReader(await server.fetch("/event?directory=" + encodeURIComponent(dir)))
    llm.enqueue({ toolCalls: [{ name: "bash", args: { command: `sleep 30; echo ${marker}`, description: "wait" } }] })
    await c.session.promptAsync({ path: { id }, body: text("go") })
    await until(() => processesWith(marker).length > 0, 5000, "the tool's process")
    const t0 = Date.now()
    const res = await c.session.delete({ path: { id } })
    expect(res.data).toBe(true)
    expect(Date.now() - t0).toBeLessThan(1500)
    await until(() => processesWith(marker).length === 0, 1000, "tool process killed")
    expect((await c.session.get({ path: { id } })).response.status).toBe(404)
    expect((await c.session.messages({ path: { id } })).response.status).toBe(404)
    expect((await c.session.status()).data![id]).toBeUndefined()
    await sse.next((e) => e.data.type === "session.deleted" && e.data.properties.info.id === id)
    // Nothing wrote into the deleted session afterwards.
    await Bun.sleep(100)
    expect((await c.session.messages({ path: { id } })).response.status).toBe(404)
    sse.cancel()
  })

  test("instance dispose while busy: the reply is closed, the session idles, the next prompt works", async () => {
    const marker = `${MARK}-dispose`
    const { dir, c, id } = await session()
    llm.enqueue({ text: "Working.", toolCalls: [{ name: "bash", args: { command: `sleep 30; echo ${marker}`, description: "wait" } }] })
    await c.session.promptAsync({ path: { id }, body: text("go") })
    await until(() => processesWith(marker).length > 0, 5000, "the tool's process")
    const t0 = Date.now()
    expect((await c.instance.dispose()).data).toBe(true)
    expect(Date.now() - t0).toBeLessThan(2000)
    await until(async () => (await c.session.status()).data![id] === undefined, 1000, "idle")
    await until(() => processesWith(marker).length === 0, 1000, "tool process killed")
    const history = await assertSettled(c, id)
    const reply = history.at(-1)!
    expect((reply.info as any).error.name).toBe("MessageAbortedError")
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "Working." })
    llm.enqueue({ text: "after dispose" })
    const next = (await c.session.prompt({ path: { id }, body: text("again") })).data!
    expect(next.parts.find((p) => p.type === "text")).toMatchObject({ text: "after dispose" })
    void dir
  })

  test("SIGTERM while busy: the in-flight reply is closed with an error on the way down, within 2 s", async () => {
    const marker = `${MARK}-sigterm`
    const dir = project(llm, { extra: { command: { slow: { template: `Status: !\`sleep 30; echo ${marker}-cmd\`` } } } })
    const dataDir = tmpdir("data-")
    const first = await childServer(dir, dataDir, procs)
    const c = first.sdk(dir)
    const hanging = (await c.session.create({ body: {} })).data!.id
    const tooling = (await c.session.create({ body: {} })).data!.id
    llm.enqueue({ text: "Thinking about" })
    llm.enqueue({ hang: true, text: "streaming when stopped" })
    await c.session.prompt({ path: { id: hanging }, body: text("warm up") })
    await c.session.promptAsync({ path: { id: hanging }, body: text("go") })
    await until(() => llm.pending() === 0, 5000, "the hanging call")
    llm.enqueue({ toolCalls: [{ name: "bash", args: { command: `sleep 30; echo ${marker}`, description: "wait" } }] })
    await c.session.promptAsync({ path: { id: tooling }, body: text("run") })
    await until(() => processesWith(marker).length > 0, 5000, "the tool's process")
    const commanded = (await c.session.create({ body: {} })).data!.id
    const command = c.session.command({ path: { id: commanded }, body: { command: "slow", arguments: "" } }).catch(() => undefined)
    await until(() => processesWith(`${marker}-cmd`).length > 0, 5000, "the command's shell")

    const { code, ms } = await first.signal("SIGTERM")
    await command
    expect(code).toBe(0)
    expect(ms).toBeLessThan(2000)
    expect(processesWith(marker)).toEqual([])

    // Read the database as the stopped server left it, before any recovery could run.
    const { Database } = await import("bun:sqlite")
    const db = new Database(`${dataDir}/opencode.db`, { readonly: true })
    const open = db.query("SELECT id FROM message WHERE open = 1").all()
    const replies = db.query<{ data: string }, []>("SELECT data FROM message WHERE role = 'assistant' ORDER BY id").all().map((r) => JSON.parse(r.data))
    db.close()
    expect(open).toEqual([])
    const last = replies.filter((m) => m.sessionID === hanging).at(-1)
    expect(last.error.name).toBe("MessageAbortedError")
    expect(last.error.data.message).toContain("server")
    expect(replies.filter((m) => m.sessionID === tooling).at(-1).error.name).toBe("MessageAbortedError")

    const second = await childServer(dir, dataDir, procs)
    const c2 = second.sdk(dir)
    const history = await assertSettled(c2, hanging)
    expect(history.at(-1)!.parts.find((p) => p.type === "text")).toMatchObject({ text: "streaming when stopped" })
    await assertSettled(c2, tooling)
    await second.signal("SIGTERM")
  }, 20_000)
})
