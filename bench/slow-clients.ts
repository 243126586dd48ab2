// Event-stream clients that never read (issue 13, item 2): 50 of them, while 20 MB of events
// are published. Measured twice in the same run:
//   baseline   the stall and backlog limits out of the way (as before they existed)
//   limits     the default backlog (16 MiB) and the stall limit scaled to 3 s (30 s by default)
// A cut stream's connection is closed by the server, but what the kernel already holds in its
// send buffer stays until the client reads or goes away (Bun cannot reset a connection): the
// last column shows it 90 s on.
// For each: the kernel's TCP memory (/proc/net/sockstat, both ends of every loopback socket),
// the streams still open and the process RSS, right after the flood and once the stall limit
// has passed. Linux only.
//
//   bun bench/slow-clients.ts   prints the figures and saves bench/results/slow-clients.txt
import fs from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { benchRoot } from "./bench-root"

const root = benchRoot("ocb-bench-slow-")

const { startServer } = await import("../src/server/server")
const { Bus } = await import("../src/bus")
const { openStreamCount } = await import("../src/server/sse")

const CLIENTS = 50
const EVENTS = 400
const pad = "x".repeat(50_000)
const MB = 1024 * 1024
const SETTLE_MS = 90_000

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}

/** Bytes queued to send on the server's side of its sockets (ss Send-Q, orphans included): what it wrote that no client took. */
function serverSendQMB(port: number) {
  const out = Bun.spawnSync(["ss", "-tnH", "state", "all", `sport = :${port}`]).stdout.toString()
  let bytes = 0
  for (const line of out.trim().split("\n")) {
    const cols = line.trim().split(/\s+/)
    if (cols.length >= 3) bytes += Number(cols[2]) || 0
  }
  return bytes / MB
}

function tcpMemMB() {
  const m = /TCP:.* mem (\d+)/.exec(fs.readFileSync("/proc/net/sockstat", "utf8"))
  return m ? (Number(m[1]) * 4096) / MB : NaN
}
const rssMB = () => process.memoryUsage().rss / MB

async function round(name: string, limits: Record<string, number>) {
  const dir = fs.mkdtempSync(path.join(root, "p-"))
  const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: dir, limits })
  const socks: net.Socket[] = []
  for (let i = 0; i < CLIENTS; i++) {
    const s = net.connect(server.port, "127.0.0.1")
    await new Promise((r) => s.once("connect", r))
    s.write(`GET /event?directory=${encodeURIComponent(dir)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
    s.on("error", () => {})
    s.pause()
    socks.push(s)
  }
  await Bun.sleep(200)
  const port = server.port
  const before = { tcp: tcpMemMB(), rss: rssMB(), sendq: serverSendQMB(port) }
  for (let i = 0; i < EVENTS; i++) {
    Bus.publishRaw(dir, { type: "bench.big", properties: { i, pad } })
    if (i % 10 === 9) await Bun.sleep(5)
  }
  await Bun.sleep(500)
  const flooded = { tcp: tcpMemMB(), rss: rssMB(), open: openStreamCount(), sendq: serverSendQMB(port) }
  await Bun.sleep(4000)
  Bun.gc(true)
  const later = { tcp: tcpMemMB(), rss: rssMB(), open: openStreamCount(), sendq: serverSendQMB(port) }
  // Whether the kernel lets go of the closed connections' buffers while the clients stay.
  await Bun.sleep(SETTLE_MS)
  const settled = { sendq: serverSendQMB(port) }
  for (const s of socks) s.destroy()
  await server.stop()
  await Bun.sleep(500)
  const f = (n: number) => n.toFixed(0).padStart(5)
  say(
    `${name.padEnd(9)} server send queues MB ${f(before.sendq)} → ${f(flooded.sendq)} → ${f(later.sendq)} → ${f(settled.sendq)} | all TCP mem MB ${f(before.tcp)} → ${f(flooded.tcp)} → ${f(later.tcp)} | streams open ${flooded.open} → ${later.open} | RSS MB ${f(before.rss)} → ${f(flooded.rss)} → ${f(later.rss)}`,
  )
  return { ...later, settled: settled.sendq }
}

say(`${CLIENTS} clients that never read, ${EVENTS} events of ${pad.length / 1000} KB (${((EVENTS * pad.length) / 1e6).toFixed(0)} MB) — ${new Date().toISOString().slice(0, 10)}, load ${os.loadavg()[0].toFixed(1)}`)
const base = await round("baseline", { streamStallMs: 1e9, streamBacklogBytes: 1e12 })
const lim = await round("limits", { streamStallMs: 3000 })
say(`(before → right after the flood → 4 s later [→ ${SETTLE_MS / 1000} s later]; all TCP mem counts the never-reading clients' own receive buffers too)`)
say(`server send queues ${SETTLE_MS / 1000} s after the flood: ${lim.settled.toFixed(1)} MB with limits vs ${base.settled.toFixed(1)} MB without (${(lim.settled / Math.max(base.settled, 0.1)).toFixed(2)})`)
fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results", "slow-clients.txt"), lines.join("\n") + "\n")
process.exit(0)
