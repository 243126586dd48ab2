import { afterAll, beforeAll, expect, test } from "bun:test"
import net from "node:net"
import { startMockLLM, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { project } from "../helpers/harness"
import { Bus } from "../../src/bus"
import { openStreamCount } from "../../src/server/sse"
import { text, until } from "./lib"

// A client that stops reading its event stream: the others are not held up, its backlog is
// bounded, and it still learns how every reply ended (or is cut off and resumes).

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

/** /event over a raw socket, so the test controls when (if ever) it is read. */
async function rawStream(dir: string) {
  const sock = net.connect(server.port, "127.0.0.1")
  await new Promise((r) => sock.once("connect", r))
  sock.write(`GET /event?directory=${encodeURIComponent(dir)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
  let raw = Buffer.alloc(0)
  let closed = false
  sock.on("data", (d) => (raw = Buffer.concat([raw, d])))
  sock.on("close", () => (closed = true))
  sock.on("error", () => {})
  await until(() => raw.includes("server.connected"), 2000, "server.connected")
  sock.pause()
  return {
    resume: () => sock.resume(),
    destroy: () => sock.destroy(),
    get closed() {
      return closed
    },
    /** Events received so far, and whether the chunked body ended properly. */
    read() {
      let body = ""
      let at = raw.indexOf("\r\n\r\n") + 4
      let complete = false
      while (at < raw.length) {
        const eol = raw.indexOf("\r\n", at)
        if (eol < 0) break
        const size = parseInt(raw.subarray(at, eol).toString(), 16)
        if (size === 0) {
          complete = true
          break
        }
        if (eol + 2 + size > raw.length) break
        body += raw.subarray(eol + 2, eol + 2 + size).toString("utf8")
        at = eol + 2 + size + 2
      }
      const events = body
        .split("\n\n")
        .filter((f) => f.includes("data: "))
        .map((f) => ({ id: f.match(/^id: (\S+)/m)?.[1], data: JSON.parse(f.slice(f.indexOf("data: ") + 6)) }))
      return { events, complete }
    },
  }
}

// More than a stream may have waiting (half the replay buffer's 20,000 events).
const FLOOD = 12_000

/** Enough to fill the socket buffers between the server and a stalled client: what follows queues up in the server. */
async function fillSocket(dir: string) {
  for (let i = 0; i < 100; i++) {
    Bus.publishRaw(dir, { type: "test.filler", properties: { i, pad: "x".repeat(100_000) } })
    if (i % 10 === 9) await Bun.sleep(1)
  }
}

test("a client that never reads holds nobody up; once it reads, it has session.idle and each part's final text", async () => {
  const dir = project(llm)
  const c = server.sdk(dir)
  const id = (await c.session.create({ body: {} })).data!.id
  const slow = await rawStream(dir)
  const fast = sseReader(await server.fetch("/event?directory=" + encodeURIComponent(dir)))
  await fillSocket(dir)
  const words = (tag: string) => Array.from({ length: 4000 }, (_, i) => `${tag}${i}`).join(" ")
  llm.enqueue({ text: words("a"), toolCalls: [{ name: "list", args: {} }] }, { text: words("b") })
  const t0 = Date.now()
  await c.session.prompt({ path: { id }, body: text("talk a lot") })
  await fast.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === id, 5000)
  expect(Date.now() - t0).toBeLessThan(5000)

  slow.resume()
  await until(() => slow.read().events.some((e) => e.data.type === "session.idle"), 5000, "session.idle on the slow stream")
  const { events } = slow.read()
  // The last update of each text part has its whole text, whatever was shed before it.
  const finalText = new Map<string, string>()
  for (const e of events)
    if (e.data.type === "message.part.updated" && e.data.properties.part.type === "text" && e.data.properties.part.sessionID === id)
      finalText.set(e.data.properties.part.id, e.data.properties.part.text)
  expect([...finalText.values()]).toEqual(["talk a lot", words("a"), words("b")])
  // Deltas were shed for it, not queued without end.
  expect(events.length).toBeLessThan(fast.events.length)
  slow.destroy()
  fast.cancel()
}, 20_000)

test("a client too far behind is cut off at once and resumes with Last-Event-ID, missing nothing", async () => {
  // The replay buffer full of older events, as on a server that has been up a while: what the
  // cut-off client missed must still be in it (the buffer keeps more than a client may lag).
  for (let i = 0; i < 26_000; i++) Bus.publishRaw("/elsewhere", { type: "test.old", properties: { i } })
  const dir = project(llm)
  const c = server.sdk(dir)
  const id = (await c.session.create({ body: {} })).data!.id
  const slow = await rawStream(dir)
  const fast = sseReader(await server.fetch("/event?directory=" + encodeURIComponent(dir)))
  await fillSocket(dir)
  const streams = openStreamCount()
  // More events nobody may drop than a client may have waiting: many sessions' tool updates, say.
  for (let i = 0; i < FLOOD; i++) {
    Bus.publishRaw(dir, { type: "test.flood", properties: { i } })
    // Paced so the reading client (in this same busy process) keeps up.
    if (i % 100 === 99) await Bun.sleep(1)
  }
  // The stalled client's backlog is let go of now, not when (if ever) it reads again.
  expect(openStreamCount()).toBe(streams - 1)

  llm.enqueue({ text: "done" })
  const t0 = Date.now()
  await c.session.prompt({ path: { id }, body: text("go") })
  await fast.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === id, 5000)
  expect(Date.now() - t0).toBeLessThan(2000)

  slow.resume()
  await until(() => slow.closed, 5000, "the slow stream to end")
  const { events, complete } = slow.read()
  // Ended as an error, not a clean end: the v1 SDK reconnects (with Last-Event-ID) only after one.
  expect(complete).toBe(false)
  const last = events.at(-1)!.id!
  const resumed = sseReader(await server.fetch("/event?directory=" + encodeURIComponent(dir), { headers: { "Last-Event-ID": last } }))
  await resumed.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === id, 3000)
  const floods = [...events, ...resumed.events].filter((e) => e.data.type === "test.flood").map((e) => e.data.properties.i)
  expect(floods).toEqual(Array.from({ length: FLOOD }, (_, i) => i))
  expect(resumed.events.some((e) => e.data.type === "server.resync")).toBe(false)
  resumed.cancel()
  fast.cancel()
}, 20_000)
