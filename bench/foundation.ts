// Foundation benchmark, in one run against the compiled binary (built first if missing):
//   start-up   exec -> first 200 on /global/health (fresh data dir each time, median)
//   memory     RSS idle, after 1,000 mixed requests, and after the throughput runs
//   throughput req/s on /global/health and /project/current against a bare Bun.serve
//              hello-world (the ceiling), rounds interleaved so machine noise hits both alike
// Everything stays on loopback; every loop is bounded in count and time.
//
//   bun bench/foundation.ts            prints the figures and saves bench/results/foundation.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { binaryPath, hostPlatform } from "../build"

const ROOT = path.resolve(import.meta.dir, "..")
const BUN = process.execPath
const STARTS = 7
const ROUNDS = 3
const CONNECTIONS = 32
const SECONDS = 2
const TARGETS = { startMs: 100, idleMb: 60, ratio: 0.6 }

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ocb-bench-${p}-`))

function ensureBinary() {
  const platform = hostPlatform()
  if (!platform) throw new Error(`no build target for ${process.platform}-${process.arch}`)
  const bin = binaryPath(platform)
  if (!fs.existsSync(bin) || process.env.BENCH_REBUILD) {
    const r = Bun.spawnSync([BUN, path.join(ROOT, "build.ts"), "--target", platform], { stdout: "inherit", stderr: "inherit" })
    if (r.exitCode !== 0) throw new Error("build failed")
  }
  return bin
}

async function freePort() {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() })
  const port = s.port!
  s.stop(true)
  return port
}

function rssMb(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
}

type Server = { proc: ReturnType<typeof Bun.spawn>; base: string; project: string }

async function startBinary(bin: string, port: number): Promise<Server & { startMs: number }> {
  const project = tmp("project")
  const t0 = performance.now()
  const proc = Bun.spawn([bin, "serve", "--port", String(port)], {
    cwd: project,
    env: { ...process.env, OPENCODE_BUN_DATA_DIR: tmp("data"), OPENCODE_LOG_LEVEL: "error", OPENCODE_SERVER_PASSWORD: "" },
    stdout: "ignore",
    stderr: "ignore",
  })
  const base = `http://127.0.0.1:${port}`
  const deadline = t0 + 10_000
  while (performance.now() < deadline) {
    try {
      if ((await fetch(base + "/global/health")).status === 200) return { proc, base, project, startMs: performance.now() - t0 }
    } catch {}
    await Bun.sleep(1)
  }
  proc.kill("SIGKILL")
  throw new Error("the binary did not answer within 10 s")
}

async function stop(s: { proc: ReturnType<typeof Bun.spawn> }) {
  s.proc.kill("SIGTERM")
  await s.proc.exited
}

async function mixedRequests(s: Server, n: number) {
  const git = tmp("repo")
  Bun.spawnSync(["git", "init", "-q", "-b", "main"], { cwd: git })
  const dirs = [s.project, git]
  const paths = ["/global/health", "/project/current", "/project", "/path", "/vcs", "/doc/json", "/no/such/route"]
  for (let i = 0; i < n; i++) {
    const dir = encodeURIComponent(dirs[i % dirs.length])
    const kind = i % 10
    if (kind === 8) {
      const r = await fetch(`${s.base}/log?directory=${dir}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ service: "bench", level: "debug", message: `m${i}` }) })
      await r.arrayBuffer()
    } else if (kind === 9) {
      // An SSE client that connects, reads its first event and leaves.
      const r = await fetch(`${s.base}/event?directory=${dir}`)
      const reader = r.body!.getReader()
      await reader.read()
      await reader.cancel()
    } else {
      await (await fetch(`${s.base}${paths[i % paths.length]}?directory=${dir}`)).arrayBuffer()
    }
  }
}

async function load(url: string) {
  const p = Bun.spawn([BUN, path.join(import.meta.dir, "foundation-load.ts"), url, String(CONNECTIONS), "200000", String(SECONDS)], { stdout: "pipe", stderr: "inherit" })
  const out = await new Response(p.stdout).text()
  if ((await p.exited) !== 0) throw new Error(`load generator failed for ${url}`)
  const r = JSON.parse(out)
  if (r.errors) throw new Error(`${r.errors} non-200 answers from ${url}`)
  return r as { rps: number; p50: number; p99: number }
}

async function main() {
  const bin = ensureBinary()
  const size = fs.statSync(bin).size / 1024 / 1024
  say(`# opencode-bun foundation benchmark`)
  say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg()[0].toFixed(1)}`)
  say(`binary: ${path.relative(ROOT, bin)} (${size.toFixed(0)} MB)`)
  say()

  const starts: number[] = []
  for (let i = 0; i < STARTS; i++) {
    const s = await startBinary(bin, await freePort())
    starts.push(s.startMs)
    await stop(s)
  }
  const startMs = median(starts)
  say(`start-up, exec -> first 200 on /global/health (median of ${STARTS}, fresh data dir): ${startMs.toFixed(1)} ms  [${starts.map((x) => x.toFixed(0)).join(", ")}]  target < ${TARGETS.startMs} ms`)

  const s = await startBinary(bin, await freePort())
  const bare = Bun.spawn([BUN, path.join(import.meta.dir, "foundation-bare.ts")], { stdout: "pipe", stderr: "inherit" })
  try {
    await Bun.sleep(1000)
    const idle = rssMb(s.proc.pid)
    say(`RSS idle (1 s after start): ${idle.toFixed(1)} MB  target < ${TARGETS.idleMb} MB`)
    await mixedRequests(s, 1000)
    await Bun.sleep(200)
    say(`RSS after 1,000 mixed requests: ${rssMb(s.proc.pid).toFixed(1)} MB`)

    const { value } = await bare.stdout.getReader().read()
    const bareUrl = `http://127.0.0.1:${new TextDecoder().decode(value).trim()}/`
    const runs = { bare: [] as number[], health: [] as number[], current: [] as number[] }
    const p99 = { bare: [] as number[], health: [] as number[], current: [] as number[] }
    const dir = encodeURIComponent(s.project)
    for (let round = 0; round < ROUNDS; round++) {
      for (const [key, url] of [
        ["bare", bareUrl],
        ["health", `${s.base}/global/health`],
        ["current", `${s.base}/project/current?directory=${dir}`],
      ] as const) {
        const r = await load(url)
        runs[key].push(r.rps)
        p99[key].push(r.p99)
      }
    }
    say(`RSS after the throughput runs: ${rssMb(s.proc.pid).toFixed(1)} MB`)
    say()
    say(`throughput, ${CONNECTIONS} keep-alive connections from a separate process, ${ROUNDS} interleaved rounds of ${SECONDS} s, median:`)
    const ceiling = median(runs.bare)
    const row = (label: string, key: keyof typeof runs) => {
      const rps = median(runs[key])
      const ratio = key === "bare" ? "" : `  ${((rps / ceiling) * 100).toFixed(0)}% of bare  target >= ${TARGETS.ratio * 100}%`
      say(`  ${label.padEnd(34)} ${String(rps).padStart(7)} req/s  p99 ${median(p99[key]).toFixed(1)} ms${ratio}`)
    }
    row("bare Bun.serve hello-world", "bare")
    row("GET /global/health", "health")
    row("GET /project/current", "current")

    const ok = startMs < TARGETS.startMs && idle < TARGETS.idleMb && median(runs.health) >= TARGETS.ratio * ceiling && median(runs.current) >= TARGETS.ratio * ceiling
    say()
    say(ok ? "all targets met" : "some targets missed (see above)")
  } finally {
    bare.kill("SIGTERM")
    await stop(s)
  }
  fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
  fs.writeFileSync(path.join(import.meta.dir, "results/foundation.txt"), lines.join("\n") + "\n")
}

if (import.meta.main) await main()
