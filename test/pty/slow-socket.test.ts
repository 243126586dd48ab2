import { afterAll, beforeAll, expect, test } from "bun:test"
import net from "node:net"
import { startTestServer, type TestServer } from "../helpers/server"
import { terminalSocket } from "./terminal-socket"

// A terminal WebSocket whose client stops reading is closed once the server holds more than
// the PTY backlog limit for it (1013: reconnect with the cursor), while another client of the
// same terminal gets all its output.

let s: TestServer
const BACKLOG = 1024 * 1024
// 16 MB of output at about 2 MB/s (a pace a reading client keeps up with on a busy machine),
// then the terminal stays open.
const CHUNK = 20_000
const OUTPUT = 800 * CHUNK

beforeAll(async () => {
  s = await startTestServer({ limits: { ptyBacklogBytes: BACKLOG, streamStallMs: 2000 } })
})
afterAll(async () => {
  await s.stop()
})

/** A WebSocket handshake over a raw socket that then stops reading; everything it got is kept. */
async function stalledSocket(path: string) {
  const sock = net.connect(s.port, "127.0.0.1")
  await new Promise((r) => sock.once("connect", r))
  sock.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  )
  const chunks: Buffer[] = []
  let closed = false
  sock.on("data", (d) => chunks.push(d))
  sock.on("close", () => (closed = true))
  sock.on("error", () => {})
  const deadline = Date.now() + 3000
  while (!Buffer.concat(chunks).includes("101 Switching Protocols")) {
    if (Date.now() > deadline) throw new Error("no upgrade: " + Buffer.concat(chunks).toString().slice(0, 200))
    await Bun.sleep(10)
  }
  sock.pause()
  return {
    resume: () => sock.resume(),
    destroy: () => sock.destroy(),
    get closed() {
      return closed
    },
    received: () => Buffer.concat(chunks),
  }
}

test("a terminal socket that stops reading is closed with 1013 after a bounded backlog; another client gets everything", async () => {
  const q = "directory=" + encodeURIComponent(s.directory)
  // Started stopped, so both clients are attached before the output begins.
  const script = `s=$(head -c ${CHUNK} /dev/zero | tr '\\0' x); read go; i=0; while [ $i -lt ${OUTPUT / CHUNK} ]; do printf '%s' "$s"; sleep 0.01; i=$((i+1)); done; sleep 60`
  const info = (await s.client.pty.create({ body: { command: "sh", args: ["-c", script] } })).data!
  const slow = await stalledSocket(`/pty/${info.id}/connect?${q}&cursor=-1`)
  const fast = terminalSocket(`${s.base.replace(/^http/, "ws")}/pty/${info.id}/connect?${q}&cursor=-1`)
  await fast.waitCursor()
  fast.ws.send("\n")
  const until = Date.now() + 60_000
  while (fast.output.length < OUTPUT && !fast.closed && Date.now() < until) await Bun.sleep(100)
  expect(fast.closed).toBeUndefined()
  expect(fast.output.length).toBeGreaterThanOrEqual(OUTPUT)

  slow.resume()
  const deadline = Date.now() + 10_000
  while (!slow.closed && Date.now() < deadline) await Bun.sleep(50)
  expect(slow.closed).toBe(true)
  const got = slow.received()
  console.log(`stalled terminal client: ${got.length} bytes of ${OUTPUT} before the cut`)
  // The close frame (0x88) carries 1013 (0x03f5): the client knows to come back with its cursor.
  expect(got.includes(Buffer.from([0x88]))).toBe(true)
  expect(got.includes(Buffer.from([0x03, 0xf5]))).toBe(true)
  // What reached it is the socket buffers and the backlog, not the whole output.
  expect(got.length).toBeLessThan(OUTPUT / 2)
  fast.ws.close()
  await s.client.pty.remove({ path: { id: info.id } })
}, 90_000)
