// What the heap keeps as prompts go by: the server runs IN-PROCESS (from source) so `bun:jsc`
// heapStats() can count live objects by type after a full GC. It runs WARMUP prompts (JIT,
// catalog, provider SDK), takes a count, runs PROMPTS more across fresh sessions, counts again
// and prints the types that grew, per thousand prompts. Flat counts mean nothing per session or
// per prompt is retained; RSS above the heap is then the allocator's high-water mark.
//
//   bun bench/soak-heap.ts     (SOAK_PROMPTS, SOAK_SESSIONS to rescale); prints only
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { heapStats } from "bun:jsc"
import { benchRoot } from "./bench-root"

benchRoot("ocb-soak-heap-")

const { startServer } = await import("../src/server/server")
const { startMockLLM, mockProviderConfig } = await import("../test/helpers/mock-llm")

const PROMPTS = Number(process.env.SOAK_PROMPTS ?? 400)
const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 40)
const WARMUP = 100

const llm = await startMockLLM()
const project = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-soak-heap-proj-"))
fs.writeFileSync(path.join(project, "opencode.json"), JSON.stringify(mockProviderConfig(llm.url, { extra: { agent: { title: { disable: true } }, snapshot: false } })))
fs.writeFileSync(path.join(project, "notes.txt"), "forty lines about a fox\n".repeat(40))
const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: project })
const base = server.url.origin

async function call(method: string, p: string, body?: unknown) {
  const r = await fetch(base + p, { method, headers: { "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined })
  if (r.status >= 400) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`)
  return r.json()
}
const step = (body: any) => (body.messages?.at(-1)?.role === "tool" ? { text: "A short answer about the fox." } : { toolCalls: [{ name: "read", args: { filePath: "notes.txt" } }] })

async function prompts(n: number, sessions: number) {
  const ids: string[] = []
  for (let i = 0; i < sessions; i++) ids.push((await call("POST", "/session", {})).id)
  for (let i = 0; i < n; i++) {
    llm.enqueue(step, step)
    await call("POST", `/session/${ids[i % sessions]}/message`, { parts: [{ type: "text", text: `prompt ${i}` }] })
    // The mock keeps every request it was sent; that is the harness's memory, not the server's.
    for (const list of [llm.requests, llm.headers, llm.paths]) list.length = 0
  }
}

function counts() {
  Bun.gc(true)
  const s = heapStats()
  return { size: s.heapSize, objects: s.objectCount, types: s.objectTypeCounts as Record<string, number> }
}

await prompts(WARMUP, 10)
const before = counts()
await prompts(PROMPTS, SESSIONS)
const after = counts()

const per1000 = (d: number) => ((d / PROMPTS) * 1000).toFixed(0)
console.log(`heap after ${WARMUP} warm-up prompts ${(before.size / 1048576).toFixed(1)} MB, ${before.objects} objects`)
console.log(`heap after ${PROMPTS} more in ${SESSIONS} new sessions ${(after.size / 1048576).toFixed(1)} MB, ${after.objects} objects`)
console.log(`growth per 1,000 prompts: ${(((after.size - before.size) / PROMPTS) * 1000 / 1048576).toFixed(2)} MB, ${per1000(after.objects - before.objects)} objects`)
const grew = Object.keys(after.types)
  .map((k) => [k, (after.types[k] ?? 0) - (before.types[k] ?? 0)] as const)
  .filter(([, d]) => d > 0)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 15)
for (const [k, d] of grew) console.log(`  ${k.padEnd(28)} +${d}  (${per1000(d)} per 1,000 prompts)`)

await server.stop()
await llm.stop()
fs.rmSync(project, { recursive: true, force: true })
process.exit(0)
