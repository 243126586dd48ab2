// File search benchmark on the generated 50,000-file repository (bench/file-fixture.ts):
//   /find        the server's text search against running the same rg directly with the
//                same arguments (rounds interleaved so machine noise hits both alike);
//                target: /find <= 1.5 x rg
//   /find/file   fuzzy file finding, warm (index built), p50 and p95 over a query mix,
//                against fuzzysort over the same list in this process (the floor);
//                target: p50 < 50 ms
// Everything stays on loopback; every loop is bounded.
//
//   bun bench/file-search.ts     prints the figures and saves bench/results/file-search.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import fuzzysort from "fuzzysort"
import { ensureFixture, TOKENS, FIXTURE_FILES } from "./file-fixture"
import { rgPath, ripgrepTextArgs } from "../src/file/search"
import { MAX_LINES_PER_FILE } from "../src/file/find-text"

const ripgrepSearchArgs = (pattern: string) => ripgrepTextArgs(pattern, { perFile: MAX_LINES_PER_FILE })

const ROUNDS = 15
const FIND_FILE_REQUESTS = 300
const TARGETS = { findRatio: 1.5, findFileP50: 50 }
const TEXT_QUERIES = [
  { label: `rare literal (${TOKENS.rare})`, pattern: TOKENS.rare },
  { label: `medium literal (${TOKENS.medium})`, pattern: TOKENS.medium },
  { label: "regex (function \\w+Token\\w*3\\()", pattern: "function \\w+Token\\w*3\\(" },
]
const FILE_QUERIES = ["file-12", "pkg-3/module-7", "mod12f3", "src", "index", "pkg-39/src/module-24/file-49.ts", "cache", "p1m2f", "module", "zzzz"]

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]

export async function startServerProcess(dir: string, env: Record<string, string> = {}) {
  const proc = Bun.spawn([process.execPath, path.join(import.meta.dir, "file-serve.ts"), dir], {
    env: { ...process.env, OPENCODE_LOG_LEVEL: "error", OPENCODE_BUN_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-data-")), ...env },
    stdout: "pipe",
    stderr: "inherit",
  })
  const { value } = await proc.stdout.getReader().read()
  const base = new TextDecoder().decode(value).trim()
  if (!base.startsWith("http")) throw new Error(`server did not start: ${base}`)
  return { proc, base, stop: async () => (proc.kill("SIGTERM"), await proc.exited) }
}

async function timeIt(fn: () => Promise<unknown>) {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

async function main() {
  const dir = await ensureFixture()
  const rg = await rgPath()
  if (!rg) throw new Error("no rg to compare with")
  say(`# opencode-bun file search benchmark`)
  say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg()[0].toFixed(1)}`)
  say(`fixture: ${dir} (${FIXTURE_FILES} tracked files + 3,000 ignored)`)
  say()
  const server = await startServerProcess(dir)
  const q = (p: string) => `${server.base}${p}${p.includes("?") ? "&" : "?"}directory=${encodeURIComponent(dir)}`
  try {
    const rgArgs = (pattern: string) => [rg, ...ripgrepSearchArgs(pattern)]
    const direct = async (pattern: string) => {
      const p = Bun.spawn(rgArgs(pattern), { cwd: dir, stdout: "pipe", stderr: "ignore" })
      await new Response(p.stdout).arrayBuffer()
      await p.exited
    }
    say(`/find against \`rg ${ripgrepSearchArgs("PATTERN").join(" ")}\` run directly, ${ROUNDS} interleaved rounds, median:`)
    let worst = 0
    for (const { label, pattern } of TEXT_QUERIES) {
      const url = q(`/find?pattern=${encodeURIComponent(pattern)}`)
      const first = await (await fetch(url)).json()
      await direct(pattern)
      const viaServer: number[] = []
      const viaRg: number[] = []
      for (let i = 0; i < ROUNDS; i++) {
        viaServer.push(await timeIt(async () => (await fetch(url)).arrayBuffer()))
        viaRg.push(await timeIt(() => direct(pattern)))
      }
      const ratio = pct(viaServer, 0.5) / pct(viaRg, 0.5)
      worst = Math.max(worst, ratio)
      say(`  ${label.padEnd(48)} ${String(first.length).padStart(4)} matches  /find ${pct(viaServer, 0.5).toFixed(1).padStart(6)} ms  rg ${pct(viaRg, 0.5).toFixed(1).padStart(6)} ms  ${ratio.toFixed(2)}x`)
    }
    say(`  worst ratio ${worst.toFixed(2)}x  target <= ${TARGETS.findRatio}x`)
    say()

    const cold = await timeIt(async () => (await fetch(q(`/find/file?query=warmup`))).arrayBuffer())
    const times: number[] = []
    for (let i = 0; i < FIND_FILE_REQUESTS; i++) {
      const query = FILE_QUERIES[i % FILE_QUERIES.length]
      times.push(await timeIt(async () => (await fetch(q(`/find/file?query=${encodeURIComponent(query)}&limit=50`))).arrayBuffer()))
    }
    const listing = Bun.spawnSync([rg, "--files", "--hidden", "--glob=!.git"], { cwd: dir })
    const files = listing.stdout.toString().split("\n").filter(Boolean)
    const all = fuzzysort.snapshot(files)
    const floor: number[] = []
    for (let i = 0; i < FIND_FILE_REQUESTS; i++) floor.push(await timeIt(async () => fuzzysort.go(FILE_QUERIES[i % FILE_QUERIES.length], all, { limit: 50, threshold: 0 })))
    const p50 = pct(times, 0.5)
    say(`/find/file, ${FIND_FILE_REQUESTS} requests over ${FILE_QUERIES.length} queries, limit 50:`)
    say(`  first request (lists the tree, builds the index): ${cold.toFixed(1)} ms`)
    say(`  warm: p50 ${p50.toFixed(1)} ms  p95 ${pct(times, 0.95).toFixed(1)} ms  target p50 < ${TARGETS.findFileP50} ms`)
    say(`  floor, fuzzysort over the same ${files.length} paths in-process: p50 ${pct(floor, 0.5).toFixed(2)} ms  (server ${(p50 / pct(floor, 0.5)).toFixed(1)}x incl. HTTP)`)
    say()
    say(worst <= TARGETS.findRatio && p50 < TARGETS.findFileP50 ? "all targets met" : "some targets missed (see above)")
  } finally {
    await server.stop()
  }
  fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
  fs.writeFileSync(path.join(import.meta.dir, "results/file-search.txt"), lines.join("\n") + "\n")
}

if (import.meta.main) await main()
