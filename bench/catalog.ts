// What the model catalog costs: start-up must not pay for it (it loads on first use), and the
// first GET /provider pays for decoding it once: from the embedded snapshot, or from the
// catalog a refresh left on disk. Each case runs in a fresh process; baseline in the same
// process: the first GET /global/health.
//
//   bun bench/catalog.ts   prints the figures and saves bench/results/catalog.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"

const RUNS = 5
const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

if (process.argv[2] === "probe") {
  // One cold server: time to listen, first health answer, first and second provider list.
  const t0 = performance.now()
  const { startServer } = await import("../src/server/server")
  const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: process.argv[3]! })
  const listening = performance.now() - t0
  const time = async (p: string) => {
    const t = performance.now()
    await (await fetch(server.url.origin + p)).arrayBuffer()
    return performance.now() - t
  }
  const health = await time("/global/health")
  const first = await time("/provider")
  const second = await time("/provider")
  console.log(JSON.stringify({ listening, health, first, second }))
  await server.stop()
  process.exit(0)
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-catalog-"))
const project = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-proj-"))
const cacheDir = path.join(root, "cache-filled")
fs.mkdirSync(cacheDir, { recursive: true })
const snapshot = Bun.gunzipSync(fs.readFileSync(path.join(import.meta.dir, "../src/provider/catalog/models-snapshot.json.gz")))
fs.writeFileSync(path.join(cacheDir, "models.json"), snapshot)
fs.writeFileSync(path.join(cacheDir, "models.meta.json"), JSON.stringify({ url: "https://models.dev/api.json", etag: '"x"', fetchedAt: Date.now() }))

async function probe(cache: string) {
  const p = Bun.spawn([process.execPath, import.meta.path, "probe", project], {
    env: { ...process.env, OPENCODE_BUN_DATA_DIR: path.join(root, "data"), OPENCODE_BUN_CACHE_DIR: cache, OPENCODE_CONFIG_DIR: path.join(root, "config"), OPENCODE_DISABLE_MODELS_FETCH: "1", OPENCODE_LOG_LEVEL: "error" },
    stdout: "pipe",
  })
  const out = await new Response(p.stdout).text()
  await p.exited
  return JSON.parse(out.trim().split("\n").at(-1)!) as { listening: number; health: number; first: number; second: number }
}

const cases: Record<string, { listening: number; health: number; first: number; second: number }[]> = { snapshot: [], cached: [] }
for (let i = 0; i < RUNS; i++) {
  cases.snapshot!.push(await probe(path.join(root, `cache-empty-${i}`)))
  cases.cached!.push(await probe(cacheDir))
}
say(`model catalog (${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}), medians of ${RUNS} fresh processes`)
for (const [name, runs] of Object.entries(cases)) {
  const m = (k: "listening" | "health" | "first" | "second") => median(runs.map((r) => r[k]))
  say(`  ${name.padEnd(8)} start→listening ${m("listening").toFixed(1)} ms, first /global/health ${m("health").toFixed(1)} ms (baseline), first GET /provider ${m("first").toFixed(1)} ms (${(m("first") / m("health")).toFixed(0)}x), next ${m("second").toFixed(1)} ms`)
}
fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results/catalog.txt"), lines.join("\n") + "\n")
fs.rmSync(root, { recursive: true, force: true })
fs.rmSync(project, { recursive: true, force: true })
