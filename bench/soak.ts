// A few-minute scaled soak of the COMPILED binary against the loopback mock LLM, watching the
// server's resident memory (VmRSS from /proc) the whole time:
//   prompts   PROMPTS prompts spread over SESSIONS sessions, WORKERS at a time; each prompt is
//             one `read` tool call then a streamed text answer (two model requests)
//   gets      GETS mixed read requests (sessions, messages, config, providers, files, ...)
//   idle      IDLE_S seconds of nothing
// It prints the RSS curve, the growth per thousand prompts after warm-up (a least-squares
// slope), the spread around the post-warm-up mean against the bound, and the idle RSS.
//
//   bun bench/soak.ts     (SOAK_PROMPTS, SOAK_SESSIONS, SOAK_GETS, SOAK_IDLE_S to rescale)
// Saves bench/results/soak.txt. Builds dist/ first if the binary is missing.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { binaryPath, hostPlatform } from "../build"
import { startMockLLM, mockProviderConfig } from "../test/helpers/mock-llm"
import { spawnServe } from "../test/cli/serve-process"

const PROMPTS = Number(process.env.SOAK_PROMPTS ?? 2000)
const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 50)
const GETS = Number(process.env.SOAK_GETS ?? 5000)
const IDLE_S = Number(process.env.SOAK_IDLE_S ?? 30)
const WORKERS = 4
/** Prompts before this many are warm-up: JIT, the provider SDK and catalog, and the event replay
 * buffer, which fills its 20,000 events (a bound by design) after about 750 prompts of this shape. */
const WARMUP = Math.round(PROMPTS * 0.4)
/** The bound: every sample after warm-up within this fraction of their mean. */
const BOUND = 0.1
const SAMPLE_MS = 500

const platform = hostPlatform()
if (!platform) throw new Error(`no build target for ${process.platform}-${process.arch}`)
const bin = binaryPath(platform)
if (!fs.existsSync(bin)) {
  console.log(`building ${path.relative(process.cwd(), bin)} ...`)
  const b = Bun.spawn([process.execPath, path.join(import.meta.dir, "../build.ts"), "--target", platform], { stdout: "inherit", stderr: "inherit" })
  if ((await b.exited) !== 0) throw new Error("build failed")
}

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const mb = (kb: number) => (kb / 1024).toFixed(1)

const llm = await startMockLLM()
const project = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-soak-proj-"))
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-soak-config-"))
const extra = { agent: { title: { disable: true } }, snapshot: false }
fs.writeFileSync(path.join(project, "opencode.json"), JSON.stringify(mockProviderConfig(llm.url, { extra })))
fs.writeFileSync(path.join(project, "notes.txt"), Array.from({ length: 40 }, (_, i) => `line ${i}: the quick brown fox`).join("\n") + "\n")
for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(project, `src-${i}.ts`), `export const value${i} = ${i}\n`)

const server = await spawnServe([bin, "serve", "--port", "0", "--hostname", "127.0.0.1"], {
  cwd: project,
  env: { OPENCODE_CONFIG_DIR: configDir, OPENCODE_LOG_LEVEL: "error" },
  timeoutMs: 20_000,
})
const base = server.base
const pid = server.proc.pid

function rssKb(field = "VmRSS"): number {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))
  return m ? Number(m[1]) : NaN
}

type Sample = { t: number; phase: string; prompts: number; gets: number; rss: number }
const samples: Sample[] = []
const state = { phase: "start", prompts: 0, gets: 0 }
const t0 = performance.now()
const sample = () => samples.push({ t: (performance.now() - t0) / 1000, phase: state.phase, prompts: state.prompts, gets: state.gets, rss: rssKb() })
sample()
const sampler = setInterval(sample, SAMPLE_MS)

async function call(method: string, p: string, body?: unknown) {
  const r = await fetch(base + p, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined })
  const text = await r.text()
  if (r.status >= 400) throw new Error(`${method} ${p}: ${r.status} ${text.slice(0, 300)}`)
  return text ? JSON.parse(text) : undefined
}

// Steps decide from the request itself, so concurrent sessions never take each other's script.
const ANSWER = "Here is what the file says, summed up in a few words for you: forty numbered lines about a quick brown fox, nothing else of note in it."
function script() {
  const step = (body: any) => {
    const last = body.messages?.at(-1)
    return last?.role === "tool" ? { text: ANSWER } : { text: "Let me look.", toolCalls: [{ name: "read", args: { filePath: "notes.txt" } }] }
  }
  llm.enqueue(step, step)
}

const sessions: string[] = []
for (let i = 0; i < SESSIONS; i++) sessions.push((await call("POST", "/session", { title: `soak ${i}` })).id)

say("# opencode-bun soak: RSS of the compiled binary")
say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, load average ${os.loadavg()[0].toFixed(1)} at start`)
say(`${PROMPTS} prompts in ${SESSIONS} sessions (${WORKERS} at a time; each a read tool call + a text answer), then ${GETS} mixed GETs, then ${IDLE_S} s idle`)
say()

const someFiles = ["notes.txt", "src-1.ts", "src-7.ts"]
const GET_PATHS = (i: number) => {
  const id = sessions[i % SESSIONS]
  return [
    `/session`, `/session/${id}`, `/session/${id}/message`, `/session/status`, `/config`, `/provider`, `/config/providers`,
    `/agent`, `/project/current`, `/path`, `/global/health`, `/file?path=.`, `/file/content?path=${someFiles[i % 3]}`,
    `/find/file?query=src`, `/find?pattern=fox`, `/session/${id}/todo`, `/command`, `/file/status`,
  ]
}
// Warm-up includes one of each GET, so first-use caches (the 7 MB provider list, the file
// index) are built before the measured part, as they would be by any client's first screen.
for (const p of GET_PATHS(0)) await (await fetch(base + p)).arrayBuffer()

state.phase = "prompts"
const tPrompts = performance.now()
let next = 0
let rssAtWarmup = 0
await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    for (let i = next++; i < PROMPTS; i = next++) {
      const id = sessions[i % SESSIONS]
      script()
      const reply = await call("POST", `/session/${id}/message`, { parts: [{ type: "text", text: `prompt ${i}: read notes.txt and sum it up` }] })
      if (reply.info.error) throw new Error(`prompt ${i} failed: ${JSON.stringify(reply.info.error)}`)
      if (++state.prompts === WARMUP) rssAtWarmup = rssKb()
    }
  }),
)
const promptSecs = (performance.now() - tPrompts) / 1000
sample()
const rssAfterPrompts = rssKb()

state.phase = "gets"
const tGets = performance.now()
let g = 0
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let i = g++; i < GETS; i = g++) {
      const list = GET_PATHS(i)
      const r = await fetch(base + list[i % list.length])
      await r.arrayBuffer()
      if (r.status >= 500) throw new Error(`GET ${list[i % list.length]}: ${r.status}`)
      state.gets++
    }
  }),
)
const getSecs = (performance.now() - tGets) / 1000
sample()
const rssAfterGets = rssKb()

state.phase = "idle"
await Bun.sleep(IDLE_S * 1000)
sample()
clearInterval(sampler)
const rssIdle = rssKb()
const rssFileIdle = rssKb("RssFile")
const metrics = await (await fetch(base + "/metrics")).text()
const buffer = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(metrics)?.[1] ?? NaN)

// The curve: about 24 rows, each the last sample of its slice of time.
say("   t (s)  phase     prompts   GETs   RSS (MB)")
const step = Math.max(1, Math.floor(samples.length / 24))
for (let i = 0; i < samples.length; i += step) {
  const s = samples[Math.min(i + step - 1, samples.length - 1)]
  const bar = "#".repeat(Math.round(s.rss / 1024 / 4))
  say(`${s.t.toFixed(0).padStart(8)}  ${s.phase.padEnd(8)} ${String(s.prompts).padStart(8)} ${String(s.gets).padStart(6)} ${mb(s.rss).padStart(9)}  ${bar}`)
}
say()

const after = samples.filter((s) => s.prompts >= WARMUP && s.phase !== "start")
const slope = (() => {
  const xs = after.filter((s) => s.phase === "prompts").map((s) => s.prompts)
  const ys = after.filter((s) => s.phase === "prompts").map((s) => s.rss)
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0)
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0)
  return den ? num / den : 0
})()
const mean = after.reduce((a, s) => a + s.rss, 0) / after.length
const lo = Math.min(...after.map((s) => s.rss))
const hi = Math.max(...after.map((s) => s.rss))
const spread = Math.max(hi / mean - 1, 1 - lo / mean)

say(`RSS at start ${mb(samples[0].rss)} MB; after ${WARMUP} warm-up prompts ${mb(rssAtWarmup)} MB; after all ${PROMPTS} prompts ${mb(rssAfterPrompts)} MB (${(PROMPTS / promptSecs).toFixed(1)} prompts/s)`)
say(`after ${GETS} GETs ${mb(rssAfterGets)} MB (${(GETS / getSecs).toFixed(0)} req/s); idle after ${IDLE_S} s ${mb(rssIdle)} MB (${mb(rssFileIdle)} MB of it the executable's own file-backed pages)`)
say(`growth after warm-up: ${(slope * 1000 / 1024).toFixed(1)} MB per 1,000 prompts (least squares over ${after.filter((s) => s.phase === "prompts").length} samples)`)
say(`after warm-up, every sample within ${(spread * 100).toFixed(1)}% of the mean ${mb(mean)} MB (${mb(lo)}–${mb(hi)} MB); bound ±${BOUND * 100}%: ${spread <= BOUND ? "met" : "MISSED"}`)
say(`event replay buffer at the end: ${buffer("opencode_event_buffer_events")} events, ${(buffer("opencode_event_buffer_bytes") / 1024 / 1024).toFixed(1)} MB of JSON; load average ${os.loadavg()[0].toFixed(1)} at the end`)

await server.signal("SIGTERM")
await llm.stop()
fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results", "soak.txt"), lines.join("\n") + "\n")
for (const d of [project, configDir, server.dataDir]) fs.rmSync(d, { recursive: true, force: true })
process.exit(0)
