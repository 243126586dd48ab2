// Server-side overhead of one agent-loop step, in one run:
//   loop      POST /session/:id/message driving 50 steps (49 `read` tool calls, then text)
//             against the instant mock LLM, through the real provider code
//   baseline  the same 50 request bodies replayed straight to the mock (HTTP + the mock's own
//             work), so what is left is ours: history building, the AI SDK, tools, storage,
//             events
// Run with file snapshots off (the loop itself) and on (adds git work around each tool step).
//
//   bun bench/session-steps.ts     prints the figures and saves bench/results/session-steps.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { benchRoot } from "./bench-root"

benchRoot("ocb-bench-steps-")

const { startServer } = await import("../src/server/server")
const { startMockLLM, mockProviderConfig } = await import("../test/helpers/mock-llm")
const { createOpencodeClient } = await import("@opencode-ai/sdk")

const STEPS = 50
const ROUNDS = 5
const TARGET_MS = 5

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const llm = await startMockLLM()
function project(snapshot: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-proj-"))
  const extra = { agent: { title: { disable: true } }, snapshot }
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(mockProviderConfig(llm.url, { extra })))
  fs.writeFileSync(path.join(dir, "a.txt"), "line one\nline two\nline three\n")
  return dir
}
const dirs = { off: project(false), on: project(true) }
const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: dirs.off })

function script() {
  for (let i = 0; i < STEPS - 1; i++) llm.enqueue({ toolCalls: [{ name: "read", args: { filePath: "a.txt" } }] })
  llm.enqueue({ text: "done" })
}

async function loop(dir: string) {
  const c = createOpencodeClient({ baseUrl: server.url.origin, directory: dir })
  const s = (await c.session.create({ body: {} })).data!
  script()
  const first = llm.requests.length
  const t0 = performance.now()
  const r = await c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "text", text: "go" }] } })
  const ms = performance.now() - t0
  if (r.error || (r.data!.info as any).error) throw new Error("loop failed: " + JSON.stringify(r.error ?? (r.data!.info as any).error))
  const steps = (await c.session.messages({ path: { id: s.id } })).data!.length - 1
  if (steps !== STEPS) throw new Error(`expected ${STEPS} steps, got ${steps}`)
  return { ms, bodies: llm.requests.slice(first) }
}

async function replay(bodies: unknown[]) {
  script()
  const t0 = performance.now()
  for (const body of bodies) {
    const r = await fetch(llm.url + "/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    await r.text()
  }
  return performance.now() - t0
}

say("# opencode-bun session loop benchmark")
say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, load average ${os.loadavg()[0].toFixed(1)}`)
say(`${STEPS}-step loop (${STEPS - 1} read tool calls + a text answer) vs the same requests replayed to the mock; median of ${ROUNDS} rounds`)
say()

await loop(dirs.off) // warm-up: provider registry, tool list, JIT
for (const [mode, dir] of ([["snapshots off", dirs.off], ["snapshots on", dirs.on]] as const).slice(0, process.env.BENCH_PROFILE ? 1 : 2)) {
  const loops: number[] = []
  const replays: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    const { ms, bodies } = await loop(dir)
    loops.push(ms)
    replays.push(await replay(bodies))
  }
  const loopMs = median(loops)
  const mockMs = median(replays)
  const overhead = (loopMs - mockMs) / STEPS
  const verdict = mode === "snapshots off" ? `  target < ${TARGET_MS} ms: ${overhead < TARGET_MS ? "met" : "MISSED"}` : ""
  say(`${mode.padEnd(14)} loop ${loopMs.toFixed(0).padStart(5)} ms   mock alone ${mockMs.toFixed(0).padStart(4)} ms   ` +
    `overhead ${overhead.toFixed(2)} ms/step   (${(loopMs / mockMs).toFixed(1)}x the mock)${verdict}`)
}

await server.stop()
await llm.stop()
fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results", "session-steps.txt"), lines.join("\n") + "\n")
for (const d of Object.values(dirs)) fs.rmSync(d, { recursive: true, force: true })
process.exit(0)
