import { afterAll, afterEach, beforeAll, expect, test } from "bun:test"
import { startMockLLM, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { project, text } from "../helpers/harness"
import { FROM_SOURCE, spawnServe, type ServeProcess } from "../cli/serve-process"
import { parseServe, UsageError } from "../../src/cli/args"
import { openStreamCount } from "../../src/server/sse"
import type { Limits } from "../../src/global/limits"
import { until } from "./lib"

// Each bound a client can push against answers a clear error naming the limit and how to raise
// it, and the server goes on serving; the flags raise them.

let llm: MockLLM
let server: TestServer | undefined
const procs: ServeProcess[] = []

beforeAll(async () => {
  llm = await startMockLLM()
})
afterEach(async () => {
  await server?.stop()
  server = undefined
})
afterAll(async () => {
  for (const p of procs) p.proc.kill("SIGKILL")
  await llm.stop()
})

async function start(limits: Partial<Limits>) {
  server = await startTestServer({ directory: project(llm), limits })
  return server
}

test("a body over the limit is a 413 naming the limit, declared or chunked; a smaller one goes through", async () => {
  const s = await start({ bodyBytes: 10_000 })
  const big = JSON.stringify({ title: "x".repeat(20_000) })
  const declared = await s.fetch("/session", { method: "POST", headers: { "content-type": "application/json" }, body: big })
  expect(declared.status).toBe(413)
  const body = (await declared.json()) as any
  expect(body.name).toBe("PayloadTooLargeError")
  expect(body.data.message).toContain("10000 bytes")
  expect(body.data.message).toContain("--max-body-bytes")

  const bytes = new TextEncoder().encode(big)
  const chunked = await s.fetch("/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new ReadableStream({
      start(c) {
        for (let i = 0; i < bytes.length; i += 1000) c.enqueue(bytes.subarray(i, i + 1000))
        c.close()
      },
    }),
    duplex: "half",
  } as RequestInit)
  expect(chunked.status).toBe(413)
  expect(((await chunked.json()) as any).name).toBe("PayloadTooLargeError")

  const small = await s.client.session.create({ body: { title: "fits" } })
  expect(small.response.status).toBe(200)
  expect(small.data!.title).toBe("fits")
})

test("event streams past the limit are a 503; closing one makes room", async () => {
  const s = await start({ eventStreams: 2 })
  await until(() => openStreamCount() === 0, 3000, "earlier streams to close")
  const a = sseReader(await s.fetch("/event"))
  const b = sseReader(await s.fetch("/event"))
  const refused = await s.fetch("/event")
  expect(refused.status).toBe(503)
  const body = (await refused.json()) as any
  expect(body.name).toBe("TooManyStreamsError")
  expect(body.data.message).toContain("limit 2")
  a.cancel()
  await until(() => openStreamCount() === 1, 3000, "the stream to close")
  const c = await s.fetch("/event")
  expect(c.status).toBe(200)
  await c.body!.cancel()
  b.cancel()
})

test("terminals past the limit are a 503; removing one makes room", async () => {
  const s = await start({ ptys: 2 })
  const sh = { command: "sh", args: ["-c", "sleep 30"] }
  const one = (await s.client.pty.create({ body: sh })).data!
  const two = (await s.client.pty.create({ body: sh })).data!
  const refused = await s.client.pty.create({ body: sh })
  expect(refused.response.status).toBe(503)
  expect((refused.error as any).name).toBe("TooManyPtysError")
  expect((refused.error as any).data.message).toContain("--max-ptys")
  await s.client.pty.remove({ path: { id: one.id } })
  const three = await s.client.pty.create({ body: sh })
  expect(three.response.status).toBe(200)
  await s.client.pty.remove({ path: { id: two.id } })
  await s.client.pty.remove({ path: { id: three.data!.id } })
})

test("prompts past the limit are a 429; a prompt for a session already running queues; room again once one ends", async () => {
  const s = await start({ prompts: 1 })
  const a = (await s.client.session.create({ body: {} })).data!
  const b = (await s.client.session.create({ body: {} })).data!
  llm.enqueue({ hang: true })
  const asked = llm.requests.length
  expect((await s.client.session.promptAsync({ path: { id: a.id }, body: text("hang") })).response.status).toBe(204)
  await until(() => llm.requests.length > asked, 5000, "session a to reach the model")
  const refused = await s.client.session.prompt({ path: { id: b.id }, body: text("me too") })
  expect(refused.response.status).toBe(429)
  expect((refused.error as any).name).toBe("TooManyPromptsError")
  expect((refused.error as any).data.message).toContain("--max-prompts")
  // The refused prompt stored nothing.
  expect((await s.client.session.messages({ path: { id: b.id } })).data).toEqual([])
  // Another prompt for the running session only queues behind it.
  expect((await s.client.session.promptAsync({ path: { id: a.id }, body: text("after") })).response.status).toBe(204)
  await s.client.session.abort({ path: { id: a.id } })
  await until(async () => ((await s.client.session.status()).data as any)[a.id] === undefined, 5000, "session a idle")
  llm.enqueue({ text: "done" })
  const ok = await s.client.session.prompt({ path: { id: b.id }, body: text("now") })
  expect(ok.response.status).toBe(200)
})

test("the flags raise the limits; a bad value is a usage error", async () => {
  expect(parseServe(["--max-prompts", "5", "--max-ptys", "7", "--max-body-bytes", "100", "--max-event-streams", "9"]).limits).toEqual({
    prompts: 5,
    ptys: 7,
    bodyBytes: 100,
    eventStreams: 9,
  })
  expect(parseServe([]).limits).toEqual({})
  expect(() => parseServe(["--max-prompts", "0"])).toThrow(UsageError)
  expect(() => parseServe(["--max-ptys", "many"])).toThrow("invalid --max-ptys 'many'")
  // End to end: the served process applies the flag.
  const p = await spawnServe([...FROM_SOURCE, "serve", "--port", "0", "--max-body-bytes", "1000"])
  procs.push(p)
  const res = await fetch(`${p.base}/session`, { method: "POST", body: JSON.stringify({ title: "y".repeat(2000) }) })
  expect(res.status).toBe(413)
  expect(((await res.json()) as any).data.message).toContain("1000 bytes")
}, 30_000)
