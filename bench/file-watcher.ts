// File watcher benchmark on the generated 50,000-file repository (bench/file-fixture.ts),
// in one run against the same server started without its watcher (the baseline):
//   start       instance creation -> the deepest directory is watched
//   idle        server CPU time over one idle window after the scan, with and without the
//               watcher, and the inotify watches and RSS it holds
//   latency     write -> file.watcher.updated on /event, p50 over sequential edits
//   burst       2,000 files created in a new directory: time until the last event, CPU spent
// Linux only (reads /proc). Everything stays on loopback; every loop is bounded.
//
//   bun bench/file-watcher.ts     prints the figures and saves bench/results/file-watcher.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { ensureFixture, FIXTURE_FILES } from "./file-fixture"
import { startServerProcess } from "./file-search"
import { sseReader } from "../test/helpers/sse"

const IDLE_SECONDS = 30
const EDITS = 20
const BURST = 2000
const TARGETS = { idleCpuMsPerMin: 60 }

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]

/** User + system CPU time of a process, exited threads included, in ms (10 ms ticks). */
function cpuMs(pid: number) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS
}
const TICKS = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100

/** Nanosecond CPU time per live thread (schedstat), for windows too short for 10 ms ticks. */
function threadTimes(pid: number) {
  const out = new Map<string, number>()
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(t, Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]))
    } catch {}
  }
  return out
}

function inotifyWatches(pid: number) {
  let n = 0
  for (const fd of fs.readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      n += fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8").split("\n").filter((l) => l.startsWith("inotify")).length
    } catch {}
  }
  return n
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024

/** Both servers idle over the same window, so machine noise hits both alike; ms CPU per minute. */
async function idleCpu(pids: number[]) {
  const before = pids.map(threadTimes)
  await Bun.sleep(IDLE_SECONDS * 1000)
  return pids.map((pid, i) => {
    let ns = 0
    for (const [tid, t] of threadTimes(pid)) ns += t - (before[i].get(tid) ?? 0)
    return (ns / 1e6 / IDLE_SECONDS) * 60
  })
}

async function main() {
  if (process.platform !== "linux") throw new Error("this benchmark reads /proc: Linux only")
  const dir = await ensureFixture()
  const deep = path.join(dir, "packages/pkg-39/src/module-24")
  const scratch: string[] = []
  say(`# opencode-bun file watcher benchmark`)
  say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg()[0].toFixed(1)}`)
  say(`fixture: ${dir} (${FIXTURE_FILES} tracked files in 1,300 directories + 3,000 ignored in node_modules/ and dist/)`)
  say()

  const base = await startServerProcess(dir, { OPENCODE_EXPERIMENTAL_DISABLE_FILEWATCHER: "1" })
  const watched = await startServerProcess(dir)
  const scoped = (b: string, p: string) => `${b}${p}?directory=${encodeURIComponent(dir)}`
  try {
    await (await fetch(scoped(base.base, "/path"))).arrayBuffer()
    const baseEvents = sseReader(await fetch(scoped(base.base, "/event")))
    await baseEvents.next((e) => e.data.type === "server.connected")
    const rssBase = rssMb(base.proc.pid)

    const res = await fetch(scoped(watched.base, "/event"))
    const events = sseReader(res)
    await events.next((e) => e.data.type === "server.connected")
    const t0 = performance.now()
    await (await fetch(scoped(watched.base, "/path"))).arrayBuffer()
    const probe = path.join(deep, `probe-${Date.now()}.ts`)
    scratch.push(probe)
    let startMs = 0
    for (let i = 0; i < 600 && !startMs; i++) {
      fs.writeFileSync(probe, String(i))
      try {
        await events.next((e) => e.data.properties?.file === probe, 100)
        startMs = performance.now() - t0
      } catch {}
    }
    if (!startMs) throw new Error("the watcher never reported the probe file")
    say(`start: instance created -> deepest directory watched: ${startMs.toFixed(0)} ms (the scan runs in the background; requests are not held)`)
    const rssWatched = rssMb(watched.proc.pid)
    const watches = inotifyWatches(watched.proc.pid)
    say(`held: ${watches} inotify watches (one per kept directory; none in node_modules/ or dist/), RSS ${rssWatched.toFixed(0)} MB vs ${rssBase.toFixed(0)} MB without the watcher`)

    // Let the scan's garbage be collected first: the window measures the steady state.
    await Bun.sleep(5000)
    say(`idle, one ${IDLE_SECONDS} s window for both servers, one /event client on each, CPU time of every server thread (schedstat):`)
    const [idleWatched, idleBase] = await idleCpu([watched.proc.pid, base.proc.pid])
    say(`  with the watcher:    ${idleWatched.toFixed(1)} ms CPU per minute`)
    say(`  without (baseline):  ${idleBase.toFixed(1)} ms CPU per minute`)
    say(`  watcher's own idle cost: ${Math.max(0, idleWatched - idleBase).toFixed(1)} ms CPU per minute  target < ${TARGETS.idleCpuMsPerMin} ms/min (0.1% of a core)`)
    say()
    const latencies: number[] = []
    const target = path.join(deep, "file-0.ts")
    const original = fs.readFileSync(target)
    for (let i = 0; i < EDITS; i++) {
      const seen = events.events.length
      const t = performance.now()
      fs.appendFileSync(target, `// edit ${i}\n`)
      await events.next((e) => e.data.properties?.file === target && events.events.indexOf(e) >= seen, 5000)
      latencies.push(performance.now() - t)
      await Bun.sleep(20)
    }
    fs.writeFileSync(target, original)
    say(`latency, append -> file.watcher.updated on /event (${EDITS} edits): p50 ${pct(latencies, 0.5).toFixed(1)} ms  max ${Math.max(...latencies).toFixed(1)} ms (includes the 40 ms settle window)`)

    const burstDir = path.join(dir, `burst-${Date.now()}`)
    scratch.push(burstDir)
    const cpu0 = cpuMs(watched.proc.pid)
    const tb = performance.now()
    fs.mkdirSync(burstDir)
    for (let i = 0; i < BURST; i++) fs.writeFileSync(path.join(burstDir, `b${i}.ts`), "x")
    const last = path.join(burstDir, `b${BURST - 1}.ts`)
    await events.next((e) => e.data.properties?.file === last, 30_000)
    await Bun.sleep(200)
    const burstEvents = events.events.filter((e) => e.data.properties?.file?.startsWith(burstDir + "/")).length
    say(`burst: ${BURST} files created in a new directory -> last event after ${(performance.now() - tb).toFixed(0)} ms, ${burstEvents} events, server CPU ${(cpuMs(watched.proc.pid) - cpu0).toFixed(0)} ms`)
    fs.rmSync(burstDir, { recursive: true, force: true })
    await events.next((e) => e.data.properties?.file === burstDir && e.data.properties.event === "unlink", 30_000)
    for (const f of scratch) fs.rmSync(f, { recursive: true, force: true })
    events.cancel()
    baseEvents.cancel()

    say()
    say(idleWatched - idleBase < TARGETS.idleCpuMsPerMin ? "all targets met" : "some targets missed (see above)")
  } finally {
    for (const f of scratch) fs.rmSync(f, { recursive: true, force: true })
    await Promise.all([base.stop(), watched.stop()])
  }
  fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
  fs.writeFileSync(path.join(import.meta.dir, "results/file-watcher.txt"), lines.join("\n") + "\n")
}

if (import.meta.main) await main()
