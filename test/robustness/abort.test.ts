import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { startMockLLM, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { project } from "../helpers/harness"
import { assertSettled, killMarked, processesWith, text, until, type Client } from "./lib"

// An abort at every phase of a reply: the session is idle within a second, what was already
// written stays, no process the reply started survives, and the next prompt works.

const MARK = `abort-${process.pid}-${Date.now()}`
let llm: MockLLM
let server: TestServer

beforeAll(async () => {
  llm = await startMockLLM()
  server = await startTestServer({ directory: project(llm) })
})
afterAll(async () => {
  await server.stop()
  await llm.stop()
  killMarked(MARK)
})

type Setup = { c: Client; id: string; dir: string; sse: Awaited<ReturnType<typeof open>> }

async function open(dir: string) {
  const sse = sseReader(await server.fetch("/event?directory=" + encodeURIComponent(dir)))
  await sse.next((e) => e.data.type === "server.connected")
  return sse
}

async function start(extra: Record<string, unknown> = {}): Promise<Setup> {
  const dir = project(llm, { extra })
  const c = server.sdk(dir)
  const sse = await open(dir)
  const id = (await c.session.create({ body: {} })).data!.id
  return { c, id, dir, sse }
}

/** Aborts, then checks the rule; returns the history for phase-specific checks. */
async function abortAndCheck({ c, id, sse }: Setup, marker?: string, opts: { nothingStored?: boolean } = {}) {
  const t0 = Date.now()
  await c.session.abort({ path: { id } })
  await until(async () => (await c.session.status()).data![id] === undefined, 1000, "idle within 1 s")
  expect(Date.now() - t0).toBeLessThan(1000)
  if (marker) await until(() => processesWith(marker).length === 0, 1000, `no process left running ${marker}`)
  const history = await assertSettled(c, id)
  if (opts.nothingStored) expect(history).toEqual([])
  else expect(history[0].info.role).toBe("user")
  // The next prompt works.
  llm.enqueue({ text: "fresh answer" })
  const reply = (await c.session.prompt({ path: { id }, body: text("again") })).data!
  expect(reply.info.error).toBeUndefined()
  expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "fresh answer" })
  expect(llm.pending()).toBe(0)
  sse.cancel()
  return history
}

const lastReply = (history: any[]) => history.findLast((m) => m.info.role === "assistant")

describe("abort", () => {
  test("before the first token", async () => {
    const s = await start()
    const served = llm.requests.length
    llm.enqueue({ hang: true })
    await s.c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    await until(() => llm.requests.length > served, 5000, "the model call")
    const h = await abortAndCheck(s)
    expect(lastReply(h).info.error.name).toBe("MessageAbortedError")
  })

  test("mid text", async () => {
    const s = await start()
    llm.enqueue({ hang: true, text: "half an answer" })
    await s.c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    await s.sse.next((e) => e.data.type === "message.part.delta")
    const h = await abortAndCheck(s)
    expect(lastReply(h).parts.find((p: any) => p.type === "text").text).toBe("half an answer")
  })

  test("mid tool", async () => {
    const s = await start()
    const marker = `${MARK}-tool`
    llm.enqueue({ text: "Starting.", toolCalls: [{ name: "bash", args: { command: `sleep 30; echo ${marker}`, description: "wait" } }] })
    await s.c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    await until(() => processesWith(marker).length > 0, 5000, "the tool's process")
    const h = await abortAndCheck(s, marker)
    const reply = lastReply(h)
    expect(reply.parts.find((p: any) => p.type === "text").text).toBe("Starting.")
    expect(reply.parts.find((p: any) => p.type === "tool").state).toMatchObject({ status: "error", error: expect.stringContaining("Abort") })
  })

  test("during the retry backoff wait", async () => {
    const s = await start()
    llm.enqueue({ error: { status: 429, headers: { "retry-after": "20" } } })
    await s.c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    await s.sse.next((e) => e.data.type === "session.status" && e.data.properties.status.type === "retry")
    const h = await abortAndCheck(s)
    const reply = lastReply(h)
    expect(reply.parts.some((p: any) => p.type === "retry")).toBe(true)
    expect(reply.info.error.name).toBe("MessageAbortedError")
  })

  test("during a permission ask", async () => {
    const s = await start({ permission: { bash: "ask" } })
    llm.enqueue({ toolCalls: [{ name: "bash", args: { command: "echo hi", description: "greet" } }] })
    await s.c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    await s.sse.next((e) => e.data.type === "permission.asked")
    await abortAndCheck(s)
    expect(await server.fetch("/permission?directory=" + encodeURIComponent(s.dir)).then((r) => r.json())).toEqual([])
  })

  test("during a subagent", async () => {
    const s = await start()
    const marker = `${MARK}-child`
    llm.enqueue(
      { toolCalls: [{ name: "task", args: { description: "Dig", prompt: "dig", subagent_type: "general" } }] },
      { toolCalls: [{ name: "bash", args: { command: `sleep 30; echo ${marker}`, description: "wait" } }] },
    )
    await s.c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    await until(() => processesWith(marker).length > 0, 5000, "the subagent's tool process")
    const child = (await s.c.session.children({ path: { id: s.id } })).data![0]
    await abortAndCheck(s, marker)
    expect((await s.c.session.status()).data![child.id]).toBeUndefined()
    await assertSettled(s.c, child.id)
  })

  test("during a shell command", async () => {
    const s = await start()
    const marker = `${MARK}-shell`
    const shell = s.c.session.shell({ path: { id: s.id }, body: { agent: "build", command: `sleep 30; echo ${marker}` } })
    await until(() => processesWith(marker).length > 0, 5000, "the shell process")
    const h = await abortAndCheck(s, marker)
    expect((await shell).response.status).toBe(200)
    expect(lastReply(h).parts[0].state.status).toBe("error")
  })

  test("during a summary", async () => {
    const s = await start()
    llm.enqueue({ text: "hello" })
    await s.c.session.prompt({ path: { id: s.id }, body: text("hi") })
    llm.enqueue({ hang: true, text: "Summary so" })
    const summary = s.c.session.summarize({ path: { id: s.id }, body: { providerID: "mock", modelID: "mock-model" } })
    await s.sse.next((e) => e.data.type === "message.part.delta" && e.data.properties.delta === "Summary so")
    const h = await abortAndCheck(s)
    const res = await summary
    expect(res.response.status).toBe(409)
    const reply = h.findLast((m: any) => m.info.summary) as any
    expect(reply.info.error.name).toBe("MessageAbortedError")
    expect(reply.parts.find((p: any) => p.type === "text").text).toBe("Summary so")
  })

  test("during a command's !`cmd`", async () => {
    const marker = `${MARK}-cmd`
    const s = await start({ command: { slow: { template: `Status: !\`sleep 30; echo ${marker}\`` } } })
    const t0 = Date.now()
    const command = s.c.session.command({ path: { id: s.id }, body: { command: "slow", arguments: "" } })
    await until(() => processesWith(marker).length > 0, 5000, "the command's shell")
    expect((await s.c.session.abort({ path: { id: s.id } })).data).toBe(true)
    const res = await command
    expect(Date.now() - t0).toBeLessThan(3000)
    expect(res.response.status).toBe(409)
    expect((res.error as any).data.message).toContain("aborted")
    // The template was never sent: there is nothing to keep.
    await abortAndCheck(s, marker, { nothingStored: true })
  })
})
