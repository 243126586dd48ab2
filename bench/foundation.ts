// Foundation benchmark, in one run, of the compiled server against a bare Bun.serve
// hello-world compiled the same way (the ceiling):
//   start-up   exec -> first 200 on /global/health, fresh data dir each time, median
//   memory     RSS idle, after 1,000 mixed requests, after the throughput runs
//   throughput req/s on /global/health and /project/current, load from a separate process,
//              rounds interleaved so machine noise hits both sides alike
//   imports    what each route module costs at start-up (bench/foundation-imports.ts)
// Loopback only; every loop is bounded in count and time.
//
//   bun bench/foundation.ts     prints the figures and saves bench/results/foundation.txt
//   BENCH_REBUILD=1 ...         rebuilds dist/ first even if a binary is there
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { binaryPath, hostPlatform } from "../build"

const ROOT = path.resolve(import.meta.dir, "..")
const BUN = process.execPath
const STARTS = 9
const ROUNDS = 5
const CONNECTIONS = 32
const SECONDS = 2
const MIXED = 1000
const TARGETS = { startMs: 100, idleMb: 60, ratio: 0.6 }

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const made: string[] = []
const tmp = (p: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ocb-bench-${p}-`))
  made.push(dir)
  return dir
}
process.on("exit", () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})
const mb = (n: number) => `${n.toFixed(1)} MB`

function compile(args: string[]) {
  const r = Bun.spawnSync([BUN, ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe" })
  if (r.exitCode !== 0) throw new Error(`${args.join(" ")}: ${r.stderr.toString()}`)
}

function binaries() {
  const platform = hostPlatform()
  if (platform !== "linux-x64" && platform !== "linux-arm64") throw new Error("this benchmark reads /proc: run it on Linux")
  const server = binaryPath(platform)
  if (!fs.existsSync(server) || process.env.BENCH_REBUILD) compile(["build.ts", "--target", platform])
  const bare = path.join(tmp("bare"), "bare")
  compile(["build", "--compile", "--minify", "--bytecode", "--format=esm", path.join(import.meta.dir, "foundation-bare.ts"), `--outfile=${bare}`])
  return { server, bare }
}

async function freePort() {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() })
  const port = s.port!
  s.stop(true)
  return port
}

function rss(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024
  return { total: kb("VmRSS"), anon: kb("RssAnon"), file: kb("RssFile") }
}

type Proc = { proc: ReturnType<typeof Bun.spawn>; base: string; project: string; startMs: number; cpuMs: number }

/** CPU time (user + system) a process has used so far: unlike wall time, not inflated by other load. */
function cpuMs(pid: number) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")
  // utime and stime, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** Spawns a binary and polls until /global/health (any path, for the bare one) answers 200. */
async function start(bin: string): Promise<Proc> {
  const port = await freePort()
  const project = tmp("project")
  const t0 = performance.now()
  const proc = Bun.spawn([bin, "serve", "--port", String(port)], {
    cwd: project,
    env: { ...process.env, OPENCODE_BUN_DATA_DIR: tmp("data"), OPENCODE_LOG_LEVEL: "error", OPENCODE_SERVER_PASSWORD: "" },
    stdout: "ignore",
    stderr: "ignore",
  })
  const base = `http://127.0.0.1:${port}`
  while (performance.now() - t0 < 10_000) {
    try {
      if ((await fetch(base + "/global/health")).status === 200) return { proc, base, project, startMs: performance.now() - t0, cpuMs: cpuMs(proc.pid) }
    } catch {}
    await Bun.sleep(1)
  }
  proc.kill("SIGKILL")
  throw new Error(`${bin} did not answer within 10 s`)
}

async function stop(p: Proc) {
  p.proc.kill("SIGTERM")
  await p.proc.exited
}

async function mixedRequests(s: Proc, n: number) {
  const repo = tmp("repo")
  Bun.spawnSync(["git", "init", "-q", "-b", "main"], { cwd: repo })
  const dirs = [s.project, repo]
  const paths = ["/global/health", "/project/current", "/project", "/path", "/vcs", "/doc/json", "/no/such/route"]
  for (let i = 0; i < n; i++) {
    const dir = encodeURIComponent(dirs[i % dirs.length])
    if (i % 10 === 8) {
      const body = JSON.stringify({ service: "bench", level: "debug", message: `m${i}` })
      await (await fetch(`${s.base}/log?directory=${dir}`, { method: "POST", headers: { "content-type": "application/json" }, body })).arrayBuffer()
    } else if (i % 10 === 9) {
      // An SSE client that connects, reads its first event and leaves.
      const reader = (await fetch(`${s.base}/event?directory=${dir}`)).body!.getReader()
      await reader.read()
      await reader.cancel()
    } else {
      await (await fetch(`${s.base}${paths[i % paths.length]}?directory=${dir}`)).arrayBuffer()
    }
  }
}

async function load(url: string) {
  const p = Bun.spawn([BUN, path.join(import.meta.dir, "foundation-load.ts"), url, String(CONNECTIONS), "300000", String(SECONDS)], { stdout: "pipe", stderr: "inherit" })
  const out = await new Response(p.stdout).text()
  if ((await p.exited) !== 0) throw new Error(`load generator failed for ${url}`)
  const r = JSON.parse(out) as { rps: number; p99: number; errors: number }
  if (r.errors) throw new Error(`${r.errors} non-200 answers from ${url}`)
  return r
}

async function main() {
  const { server, bare } = binaries()
  say("# opencode-bun foundation benchmark (bun bench/foundation.ts)")
  say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, load average at start ${os.loadavg()[0].toFixed(1)}`)
  say(`server: ${path.relative(ROOT, server)} (${(fs.statSync(server).size / 1024 / 1024).toFixed(0)} MB); bare: Bun.serve hello-world compiled with the same flags`)
  say()

  const starts = { server: [] as number[], bare: [] as number[] }
  const cpu = { server: [] as number[], bare: [] as number[] }
  for (let i = 0; i < STARTS; i++) {
    for (const [key, bin] of [["server", server], ["bare", bare]] as const) {
      const p = await start(bin)
      starts[key].push(p.startMs)
      cpu[key].push(p.cpuMs)
      await stop(p)
    }
  }
  const startMs = median(starts.server)
  say(`start-up, exec -> first 200 on /global/health, median of ${STARTS} (fresh data dir each):`)
  say(`  server ${startMs.toFixed(1)} ms   bare ${median(starts.bare).toFixed(1)} ms   target < ${TARGETS.startMs} ms`)
  say(`  server runs: ${starts.server.map((x) => x.toFixed(0)).join(", ")} ms`)
  say(`  CPU time used until ready (robust to other load, 10 ms ticks): server ${median(cpu.server)} ms, bare ${median(cpu.bare)} ms`)
  say()

  const s = await start(server)
  const b = await start(bare)
  let idle: ReturnType<typeof rss>
  try {
    await Bun.sleep(1000)
    idle = rss(s.proc.pid)
    const bareIdle = rss(b.proc.pid)
    say(`RSS (resident; "file" = pages of the executable itself, "anon" = heap and JIT):`)
    say(`  idle, 1 s after start       ${mb(idle.total)} (anon ${mb(idle.anon)}, file ${mb(idle.file)})   bare ${mb(bareIdle.total)}   target < ${TARGETS.idleMb} MB`)
    await mixedRequests(s, MIXED)
    await Bun.sleep(200)
    const mixed = rss(s.proc.pid)
    say(`  after ${MIXED.toLocaleString("en")} mixed requests  ${mb(mixed.total)} (anon ${mb(mixed.anon)}, file ${mb(mixed.file)})`)

    const rps = { bare: [] as number[], health: [] as number[], current: [] as number[] }
    const p99 = { bare: [] as number[], health: [] as number[], current: [] as number[] }
    const urls = { bare: `${b.base}/`, health: `${s.base}/global/health`, current: `${s.base}/project/current?directory=${encodeURIComponent(s.project)}` }
    for (let round = 0; round < ROUNDS; round++) {
      for (const key of ["bare", "health", "current"] as const) {
        const r = await load(urls[key])
        rps[key].push(r.rps)
        p99[key].push(r.p99)
      }
    }
    const after = rss(s.proc.pid)
    say(`  after the throughput runs   ${mb(after.total)} (anon ${mb(after.anon)}, file ${mb(after.file)})`)
    say()
    say(`throughput, ${CONNECTIONS} keep-alive connections from a separate process, median of ${ROUNDS} interleaved ${SECONDS} s rounds:`)
    const ceiling = median(rps.bare)
    const ratios: number[] = []
    for (const [label, key] of [["bare hello-world", "bare"], ["GET /global/health", "health"], ["GET /project/current", "current"]] as const) {
      const r = median(rps[key])
      const ratio = r / ceiling
      if (key !== "bare") ratios.push(ratio)
      const tail = key === "bare" ? "" : `   ${(ratio * 100).toFixed(0)}% of bare (target >= ${TARGETS.ratio * 100}%)`
      say(`  ${label.padEnd(22)} ${String(r).padStart(6)} req/s   p99 ${median(p99[key]).toFixed(1)} ms${tail}`)
    }
    say()
    const missed = [
      startMs >= TARGETS.startMs && "start-up",
      idle.total >= TARGETS.idleMb && "idle RSS",
      ratios.some((r) => r < TARGETS.ratio) && "throughput",
    ].filter(Boolean)
    say(missed.length ? `targets missed: ${missed.join(", ")}` : "all targets met")
    say(`load average at end ${os.loadavg()[0].toFixed(1)} (other work on the machine skews every figure; ratios less so)`)
  } finally {
    await stop(b)
    await stop(s)
  }
  // What the idle figures are made of, so a missed target points at its cause.
  const probe = Bun.spawnSync([BUN, path.join(import.meta.dir, "foundation-imports.ts")], { stdout: "pipe", stderr: "inherit" })
  const rows = probe.stdout.toString().trimEnd().split("\n")
  say()
  for (const row of [...rows.slice(0, 7), rows.at(-1)!]) say(row)
  say(`  (full list: bun bench/foundation-imports.ts)`)
  fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
  fs.writeFileSync(path.join(import.meta.dir, "results/foundation.txt"), lines.join("\n") + "\n")
}

if (import.meta.main) await main()
