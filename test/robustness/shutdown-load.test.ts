import { afterAll, expect, test } from "bun:test"
import { Database } from "bun:sqlite"
import { reap, type ServeProcess } from "../cli/serve-process"
import { startMockLLM } from "../helpers/mock-llm"
import { tmpdir } from "../helpers/tmp"
import { project } from "../helpers/harness"
import { assertSettled, childServer, globalEvents, text, until } from "./lib"

// SIGTERM while several prompts stream: each reply is closed with an error, event-stream
// clients hear how each ended before their stream closes, the database holds no open work and
// no claim on it, and the next start takes new prompts.

const procs: ServeProcess[] = []
afterAll(() => reap(procs))

test("SIGTERM with prompts streaming: replies closed, events flushed to clients, data consistent, next start resumes", async () => {
  const llm = await startMockLLM()
  const dir = project(llm)
  const dataDir = tmpdir("data-")
  const first = await childServer(dir, dataDir, procs)
  const c = first.sdk(dir)
  const sse = await globalEvents(first.base)
  const N = 5
  const ids: string[] = []
  for (let i = 0; i < N; i++) {
    const id = (await c.session.create({ body: {} })).data!.id
    ids.push(id)
    llm.enqueue({ hang: true, text: `streaming ${i}` })
    await c.session.promptAsync({ path: { id }, body: text(`go ${i}`) })
  }
  await until(() => llm.pending() === 0 && llm.requests.length === N, 10_000, "every prompt to reach the model")
  await until(
    () => ids.every((id) => sse.events.some((e) => e.data.payload?.type === "message.part.updated" && e.data.payload.properties.part.sessionID === id && e.data.payload.properties.part.type === "text" && e.data.payload.properties.part.text.startsWith("streaming"))),
    10_000,
    "every reply to stream text",
  )

  const { code, ms } = await first.signal("SIGTERM")
  expect(code).toBe(0)
  expect(ms).toBeLessThan(2000)
  expect(await sse.waitClosed(3000)).toBe(true)
  // Every client heard, before its stream ended, that each reply ended in an error and the session went idle.
  const payloads = sse.events.map((e) => e.data.payload)
  for (const id of ids) {
    const ended = payloads.find((p) => p.type === "message.updated" && p.properties.info.sessionID === id && p.properties.info.role === "assistant" && p.properties.info.error)
    expect({ id, error: ended?.properties.info.error.name }).toEqual({ id, error: "MessageAbortedError" })
    expect({ id, idle: payloads.some((p) => p.type === "session.idle" && p.properties.sessionID === id) }).toEqual({ id, idle: true })
  }

  // The database as the stopped server left it: nothing open, no process or run claimed.
  const db = new Database(`${dataDir}/opencode.db`, { readonly: true })
  expect(db.query("SELECT id FROM message WHERE open = 1").all()).toEqual([])
  expect(db.query("SELECT * FROM session_run").all()).toEqual([])
  expect(db.query("SELECT * FROM process").all()).toEqual([])
  db.close()

  const second = await childServer(dir, dataDir, procs)
  const c2 = second.sdk(dir)
  for (const id of ids) await assertSettled(c2, id)
  llm.enqueue({ text: "back again" })
  const reply = await c2.session.prompt({ path: { id: ids[0] }, body: text("again") })
  expect(reply.data!.parts.find((p) => p.type === "text")).toMatchObject({ text: "back again" })
  await second.signal("SIGTERM")
  await llm.stop()
}, 60_000)
