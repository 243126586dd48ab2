import { afterAll, expect, test } from "bun:test"
import { Database } from "bun:sqlite"
import path from "node:path"
import { reap, type ServeProcess } from "../cli/serve-process"
import { startMockLLM } from "../helpers/mock-llm"
import { tmpdir } from "../helpers/tmp"
import { project } from "../helpers/harness"
import { childServer, text, until } from "./lib"

// Two server processes on one data directory: neither loses the other's writes, and crash
// recovery in one never closes a prompt the other is still running; once that other is gone,
// what it left open is closed.

const procs: ServeProcess[] = []
afterAll(() => reap(procs))

const assistantOf = async (c: ReturnType<Awaited<ReturnType<typeof childServer>>["sdk"]>, id: string) =>
  (await c.session.messages({ path: { id } })).data!.map((m) => m.info as any).find((m) => m.role === "assistant")

test("a second server leaves the first one's running prompt alone; when the first is killed, it closes it", async () => {
  const llm = await startMockLLM()
  const dir = project(llm)
  const dataDir = tmpdir("data-")
  const a = await childServer(dir, dataDir, procs)
  const ca = a.sdk(dir)
  const session = (await ca.session.create({ body: {} })).data!
  llm.enqueue({ hang: true, text: "half an answer" })
  await ca.session.promptAsync({ path: { id: session.id }, body: text("think for a long time") })
  await until(async () => (await assistantOf(ca, session.id)) !== undefined, 10_000, "the reply to start")

  const b = await childServer(dir, dataDir, procs)
  const cb = b.sdk(dir)
  // B's start-up recovery and then a few of its heartbeats (2 s apart) have run.
  expect((await assistantOf(cb, session.id)).time.completed).toBeUndefined()
  await Bun.sleep(4500)
  const stillOpen = await assistantOf(cb, session.id)
  expect(stillOpen.time.completed).toBeUndefined()
  expect(stillOpen.error).toBeUndefined()
  expect((await assistantOf(ca, session.id)).time.completed).toBeUndefined()

  a.proc.kill("SIGKILL")
  await a.proc.exited
  const closed = await until(
    async () => {
      const m = await assistantOf(cb, session.id)
      return m.time.completed ? m : undefined
    },
    10_000,
    "the second server to close the dead one's reply",
  )
  expect(closed.error.name).toBe("MessageAbortedError")
  // The session is free again, on the server that is left.
  llm.enqueue({ text: "done now" })
  const reply = await cb.session.prompt({ path: { id: session.id }, body: text("again") })
  expect(reply.response.status).toBe(200)
  expect((reply.data!.info as any).error).toBeUndefined()
  await llm.stop()
}, 60_000)

test("two servers writing to one data directory at once lose nothing", async () => {
  const llm = await startMockLLM()
  const dir = project(llm)
  const dataDir = tmpdir("data-")
  const [a, b] = [await childServer(dir, dataDir, procs), await childServer(dir, dataDir, procs)]
  const clients = [a.sdk(dir), b.sdk(dir)]
  const N = 40
  const results = await Promise.all(
    clients.flatMap((c, k) =>
      Array.from({ length: N }, async (_, i) => {
        const created = await c.session.create({ body: { title: `s${k}-${i}` } })
        if (!created.data) return created.response.status
        // A stored user message (no reply): several rows in one transaction.
        const sent = await c.session.prompt({ path: { id: created.data.id }, body: { ...text(`hello ${k}-${i}`), noReply: true } })
        return sent.response.status
      }),
    ),
  )
  expect(results.filter((s) => s !== 200)).toEqual([])
  for (const c of clients) {
    const titles = (await c.session.list()).data!.map((s) => s.title)
    expect(titles.filter((t) => /^s[01]-\d+$/.test(t)).length).toBe(2 * N)
  }
  const some = (await clients[0].session.list()).data!.find((s) => s.title === "s1-7")!
  const msgs = (await clients[0].session.messages({ path: { id: some.id } })).data!
  expect(msgs.map((m) => (m.parts[0] as any).text)).toEqual(["hello 1-7"])
  await llm.stop()
}, 60_000)

test("a database another process keeps locked past the busy timeout is a 503 saying so; nothing half-written, and it works once released", async () => {
  const dir = tmpdir()
  const dataDir = tmpdir("data-")
  const a = await childServer(dir, dataDir, procs)
  const c = a.sdk(dir)
  expect((await c.session.create({ body: { title: "before" } })).response.status).toBe(200)
  const holder = new Database(path.join(dataDir, "opencode.db"))
  holder.exec("PRAGMA busy_timeout = 5000")
  holder.exec("BEGIN IMMEDIATE")
  try {
    const locked = await c.session.create({ body: { title: "while locked" } })
    expect(locked.response.status).toBe(503)
    expect((locked.error as any).name).toBe("DatabaseBusyError")
  } finally {
    holder.exec("ROLLBACK")
    holder.close()
  }
  expect((await c.session.create({ body: { title: "after" } })).response.status).toBe(200)
  const titles = (await c.session.list()).data!.map((s) => s.title)
  expect(titles.sort()).toEqual(["after", "before"])
}, 60_000)
