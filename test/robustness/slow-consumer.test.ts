import { afterAll, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import net from "node:net"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader, seqOf } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { Bus } from "../../src/bus"
import { openStreamCount } from "../../src/server/sse"
import { until } from "./lib"

// A client whose socket stops draining is cut after a bounded backlog, in bytes or in time,
// while the others go on at full speed; it comes back with Last-Event-ID and misses nothing.

let server: TestServer
const MiB = 1024 * 1024

beforeAll(async () => {
  server = await startTestServer({ limits: { streamBacklogBytes: 2 * MiB, streamStallMs: 1500 } })
})
afterAll(async () => {
  await server.stop()
})

/** /event over a raw socket that stops reading once connected; everything it got is kept. */
async function stalledStream(dir: string, port = server.port) {
  const sock = net.connect(port, "127.0.0.1")
  await new Promise((r) => sock.once("connect", r))
  sock.write(`GET /event?directory=${encodeURIComponent(dir)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
  const chunks: Buffer[] = []
  let closed = false
  sock.on("data", (d) => chunks.push(d))
  sock.on("close", () => (closed = true))
  sock.on("error", () => {})
  await until(() => Buffer.concat(chunks).includes("server.connected"), 3000, "server.connected")
  sock.pause()
  return {
    resume: () => sock.resume(),
    destroy: () => sock.destroy(),
    get closed() {
      return closed
    },
    bytes: () => chunks.reduce((n, c) => n + c.length, 0),
    localPort: sock.localPort!,
    /** The ids of the test events received, in order, and whether the chunked body ended cleanly. */
    read() {
      const text = Buffer.concat(chunks).toString("latin1")
      const ids = [...text.matchAll(/id: (\S+)\r?\n(?:[0-9a-f]+\r\n)?data: \{"type":"test\.big"/g)].map((m) => m[1])
      return { ids, complete: text.endsWith("\r\n0\r\n\r\n") }
    },
  }
}

/** The TCP state of the server's end of a connection, from /proc/net (Linux): "01" is established. */
function serverEnd(serverPort: number, clientPort: number): string | undefined {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0")
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = ""
    try {
      text = fs.readFileSync(file, "utf8")
    } catch {
      continue
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols[1]?.endsWith(`:${hex(serverPort)}`) && cols[2]?.endsWith(`:${hex(clientPort)}`)) return cols[3]
    }
  }
  return undefined
}

const pad = "x".repeat(20_000)

async function flood(dir: string, count: number, from = 0) {
  for (let i = from; i < from + count; i++) {
    Bus.publishRaw(dir, { type: "test.big", properties: { i, pad } })
    // Paced so the reading client, in this same busy process, keeps up.
    await Bun.sleep(1)
  }
}

test("a stream whose socket stops draining is cut once its backlog passes the byte limit; the others get everything; it resumes with Last-Event-ID", async () => {
  const dir = tmpdir()
  // The streams earlier tests cancelled close asynchronously.
  await until(() => openStreamCount() === 0, 3000, "earlier streams to close")
  const streams = 0
  const listeners = Bus.listenerCount()
  const slow = await stalledStream(dir)
  const fast = sseReader(await server.fetch("/event?directory=" + encodeURIComponent(dir)))
  await fast.next((e) => e.data.type === "server.connected")
  // 20 MB: far more than the kernel's socket buffers plus the 2 MiB backlog allowed.
  const COUNT = 1000
  await flood(dir, COUNT)
  await fast.next((e) => e.data.type === "test.big" && e.data.properties.i === COUNT - 1, 10_000)
  expect(fast.events.filter((e) => e.data.type === "test.big").map((e) => e.data.properties.i)).toEqual(Array.from({ length: COUNT }, (_, i) => i))
  // The stalled stream is gone and its queue with it: nothing holds its events any more.
  await until(() => openStreamCount() === streams + 1, 3000, "the stalled stream to be cut")
  expect(Bus.listenerCount()).toBe(listeners + 1)
  // And the server hangs up the connection itself, rather than keep it (and the kernel's
  // buffers for it) until the client reads.
  expect(serverEnd(server.port, slow.localPort)).toBeDefined()
  await until(() => serverEnd(server.port, slow.localPort) !== "01", 5000, "the server to close its end")

  slow.resume()
  await until(() => slow.closed, 5000, "the stalled socket to be closed")
  const { ids, complete } = slow.read()
  // Ended as an error (no final chunk), so clients reconnect; and what was written to it is a
  // bounded part of the flood: the server stopped writing.
  console.log(`stalled client: ${ids.length} of ${COUNT} events, ${slow.bytes()} bytes before the cut`)
  expect(complete).toBe(false)
  expect(ids.length).toBeGreaterThan(0)
  expect(ids.length).toBeLessThan(COUNT / 2)
  expect(slow.bytes()).toBeLessThan(COUNT * pad.length * 0.5)

  const resumed = sseReader(await server.fetch("/event?directory=" + encodeURIComponent(dir), { headers: { "Last-Event-ID": ids.at(-1)! } }))
  await resumed.next((e) => e.data.type === "test.big" && e.data.properties.i === COUNT - 1, 10_000)
  expect(resumed.events.some((e) => e.data.type === "server.resync")).toBe(false)
  const got = resumed.events.filter((e) => e.data.type === "test.big").map((e) => e.data.properties.i)
  expect(got).toEqual(Array.from({ length: COUNT - ids.length }, (_, i) => ids.length + i))
  resumed.cancel()
  fast.cancel()
}, 60_000)

test("a stream whose socket accepts nothing for longer than the stall limit is cut, well before the byte limit", async () => {
  const s = await startTestServer({ limits: { streamBacklogBytes: 256 * MiB, streamStallMs: 1500 } })
  try {
    const dir = tmpdir()
    await until(() => openStreamCount() === 0, 3000, "earlier streams to close")
    const slow = await stalledStream(dir, s.port)
    const fast = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(dir)))
    await fast.next((e) => e.data.type === "server.connected")
    // 8 MB: the socket buffers fill (about 4 MB on this kernel) and some waits in the server.
    await flood(dir, 400)
    const filled = Date.now()
    expect(openStreamCount()).toBe(2)
    for (let i = 0; i < 100 && openStreamCount() > 1; i++) {
      Bus.publishRaw(dir, { type: "test.small", properties: { i } })
      await Bun.sleep(100)
    }
    expect(openStreamCount()).toBe(1)
    // Cut by the 1.5 s stall limit (timers run late on a busy machine), not kept to the end of
    // the 10 s trickle.
    expect(Date.now() - filled).toBeLessThan(6000)
    await fast.next((e) => e.data.type === "test.small", 3000)
    slow.destroy()
    fast.cancel()
  } finally {
    await s.stop()
  }
}, 60_000)

test("a reading client that is merely idle is not cut: it gets heartbeats", async () => {
  const s = await startTestServer({ limits: { streamStallMs: 1000 } })
  try {
    process.env.OPENCODE_SSE_HEARTBEAT_MS = "100"
    const idle = sseReader(await s.fetch("/event"))
    delete process.env.OPENCODE_SSE_HEARTBEAT_MS
    await idle.next((e) => e.data.type === "server.connected")
    await Bun.sleep(2500)
    expect(idle.closed).toBe(false)
    expect(idle.events.filter((e) => e.data.type === "server.heartbeat").length).toBeGreaterThan(3)
    idle.cancel()
  } finally {
    await s.stop()
  }
})
