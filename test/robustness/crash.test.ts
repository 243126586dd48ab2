import { afterAll, expect, test } from "bun:test"
import { reap, type ServeProcess } from "../cli/serve-process"
import { startMockLLM } from "../helpers/mock-llm"
import { tmpdir } from "../helpers/tmp"
import { project } from "../helpers/harness"
import { announcedParts, assertSettled, childServer, globalEvents, killMarked, processesWith, text, until } from "./lib"

// kill -9 of the server in the middle of every kind of work, then a restart on the same data
// directory: what the user sent and every part already announced is still there, nothing is
// left running or pending, and each session takes a new prompt.

const MARK = `crash-${process.pid}-${Date.now()}`
const procs: ServeProcess[] = []
afterAll(() => {
  reap(procs)
  killMarked(MARK)
})

test("kill -9 during a tool, a permission ask, a summary, a subagent, a command's !`cmd` and right after prompt_async", async () => {
  const llm = await startMockLLM()
  const plain = project(llm)
  const asks = project(llm, { extra: { permission: { bash: "ask" } } })
  const commands = project(llm, { extra: { command: { slow: { template: `Status: !\`sleep 30; echo ${MARK}-cmd\`` } } } })
  const dataDir = tmpdir("data-")

  const first = await childServer(plain, dataDir, procs)
  const sse = await globalEvents(first.base)
  const c = first.sdk(plain)
  const ca = first.sdk(asks)
  const cc = first.sdk(commands)
  const idle = (id: string) => sse.next((e) => e.data.payload.type === "session.idle" && e.data.payload.properties.sessionID === id, 10_000)
  const create = async (client: typeof c) => (await client.session.create({ body: {} })).data!

  // A running bash tool, after some streamed text.
  const tool = await create(c)
  llm.enqueue({ text: "Running it now.", toolCalls: [{ name: "bash", args: { command: `sleep 30; echo ${MARK}-tool`, description: "wait" } }] })
  await c.session.promptAsync({ path: { id: tool.id }, body: text("run the slow thing") })
  await until(() => processesWith(`${MARK}-tool`).length > 0, 10_000, "the bash tool's process")

  // A pending permission ask.
  const asked = await create(ca)
  llm.enqueue({ toolCalls: [{ name: "bash", args: { command: "echo hi", description: "greet" } }] })
  await ca.session.promptAsync({ path: { id: asked.id }, body: text("greet") })
  const permission = (await sse.next((e) => e.data.payload.type === "permission.asked" && e.data.payload.properties.sessionID === asked.id, 10_000)).data.payload.properties

  // A summary being written.
  const summarized = await create(c)
  llm.enqueue({ text: "hello there" })
  await c.session.prompt({ path: { id: summarized.id }, body: text("hi") })
  await idle(summarized.id)
  llm.enqueue({ hang: true, text: "The summary so far" })
  const summary = c.session.summarize({ path: { id: summarized.id }, body: { providerID: "mock", modelID: "mock-model" } }).catch(() => undefined)
  await sse.next((e) => e.data.payload.type === "message.part.updated" && e.data.payload.properties.part.text === "The summary so far", 10_000)

  // A subagent working in a child session.
  const parent = await create(c)
  llm.enqueue({ toolCalls: [{ name: "task", args: { description: "Dig", prompt: "dig deep", subagent_type: "general" } }] }, { hang: true, text: "digging" })
  await c.session.promptAsync({ path: { id: parent.id }, body: text("delegate it") })
  await sse.next((e) => e.data.payload.type === "message.part.updated" && e.data.payload.properties.part.text === "digging", 10_000)
  const child = (await c.session.children({ path: { id: parent.id } })).data![0]

  // A command whose template runs a slow !`cmd`.
  const commanded = await create(cc)
  const command = cc.session.command({ path: { id: commanded.id }, body: { command: "slow", arguments: "" } }).catch(() => undefined)
  await until(() => processesWith(`${MARK}-cmd`).length > 0, 10_000, "the command's shell")

  // And a prompt accepted a moment ago, killed before the loop got anywhere.
  const fresh = await create(c)
  await c.session.promptAsync({ path: { id: fresh.id }, body: text("just sent") })
  first.proc.kill("SIGKILL")
  await first.proc.exited
  // Nothing could stop them: the server is gone.
  expect(processesWith(`${MARK}-tool`).length).toBeGreaterThan(0)
  await Promise.all([summary, command])
  const announced = announcedParts(sse.events, new Set([tool.id, asked.id, summarized.id, parent.id, child.id, commanded.id, fresh.id]))
  sse.cancel()

  const second = await childServer(plain, dataDir, procs)
  const c2 = second.sdk(plain)
  const byDir = new Map([
    [tool.id, c2],
    [asked.id, second.sdk(asks)],
    [summarized.id, c2],
    [parent.id, c2],
    [child.id, c2],
    [commanded.id, second.sdk(commands)],
    [fresh.id, c2],
  ])
  // The commands the killed server left running are ended once the new one opens the sessions.
  await second.sdk(plain).session.list()
  await until(() => processesWith(MARK).length === 0, 2000, "the killed server's commands ended")
  const stored = new Map<string, any>()
  for (const [id, client] of byDir) for (const m of await assertSettled(client, id)) for (const p of m.parts) stored.set(p.id, p)

  // Every part a client saw is stored, with at least the text it saw.
  for (const [id, seen] of announced) {
    expect(stored.has(id)).toBe(true)
    if (seen.type === "text") expect(stored.get(id).text.startsWith(seen.text)).toBe(true)
  }

  const history = async (id: string) => (await byDir.get(id)!.session.messages({ path: { id } })).data!
  const toolHistory = await history(tool.id)
  expect(toolHistory[0].parts).toMatchObject([{ type: "text", text: "run the slow thing" }])
  const toolPart = toolHistory[1].parts.find((p) => p.type === "tool") as any
  expect(toolPart.state.status).toBe("error")
  expect(toolPart.state.error).toContain("server stopped")
  expect(toolHistory[1].parts.find((p) => p.type === "text")).toMatchObject({ text: "Running it now." })
  expect((toolHistory[1].info as any).error.name).toBe("MessageAbortedError")

  const askedHistory = await history(asked.id)
  expect((askedHistory[1].parts.find((p) => p.type === "tool") as any).state.status).toBe("error")
  const late = await second.sdk(asks).postSessionIdPermissionsPermissionId({ path: { id: asked.id, permissionID: permission.id }, body: { response: "once" } })
  expect(late.response.status).toBe(404)
  expect((late.error as any).data.message).toContain("expired")
  expect(await fetch(`${second.base}/permission?directory=${encodeURIComponent(asks)}`).then((r) => r.json())).toEqual([])

  const summaryHistory = await history(summarized.id)
  const summaryReply = summaryHistory.at(-1)!.info as any
  expect(summaryReply.summary).toBe(true)
  expect(summaryReply.error.name).toBe("MessageAbortedError")
  expect(summaryHistory.at(-2)!.parts.some((p) => p.type === "compaction")).toBe(true)

  const childHistory = await history(child.id)
  expect(childHistory[0].parts).toMatchObject([{ type: "text", text: "dig deep" }])
  expect(childHistory[1].parts.find((p) => p.type === "text")).toMatchObject({ text: "digging" })
  const task = (await history(parent.id))[1].parts.find((p) => p.type === "tool") as any
  expect(task.state.status).toBe("error")

  const freshHistory = await history(fresh.id)
  expect(freshHistory[0].parts).toMatchObject([{ type: "text", text: "just sent" }])

  expect((await c2.session.status()).data).toEqual({})

  // Every session takes a new prompt.
  expect(llm.pending()).toBe(0)
  for (const [id, client] of byDir) {
    llm.enqueue({ text: `back ${id}` })
    const reply = (await client.session.prompt({ path: { id }, body: text("still there?") })).data!
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: `back ${id}` })
  }
  await second.signal("SIGTERM")
  await llm.stop()
}, 30_000)
