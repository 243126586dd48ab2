// What a JavaScript launcher would cost the npm channel: `opencode-bun --version` run as the
// npm install leaves it (the command is the executable itself, linked by postinstall) against
// the same executable started through a minimal Node launcher (what a package without that
// postinstall step needs: node starts, then spawns the executable and waits for it).
// Runs interleaved so machine noise hits both alike; median of RUNS each.
//
//   bun bench/npm-launcher.ts     prints the figures and saves bench/results/npm-launcher.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { binaryPath, hostPlatform } from "../build"

const RUNS = 15
const platform = hostPlatform()
const bin = platform && binaryPath(platform)
if (!bin || !fs.existsSync(bin)) {
  console.error(`no executable for this machine: run 'npx bun build.ts --target current' first`)
  process.exit(1)
}
if (!Bun.which("node")) {
  console.error("node is not on PATH")
  process.exit(1)
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-launcher-"))
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }))
const launcher = path.join(dir, "launcher.mjs")
fs.writeFileSync(
  launcher,
  `import { spawnSync } from "node:child_process"\n` +
    `const r = spawnSync(${JSON.stringify(bin)}, process.argv.slice(2), { stdio: "inherit" })\n` +
    `process.exit(r.status ?? 1)\n`,
)

function timeRun(cmd: string[]) {
  const t0 = performance.now()
  const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" })
  const ms = performance.now() - t0
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.toString()}`)
  return ms
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const direct: number[] = []
const viaNode: number[] = []
// One warm-up each: the first exec of a 130 MB file pays for reading it from disk.
timeRun([bin, "--version"])
timeRun(["node", launcher, "--version"])
for (let i = 0; i < RUNS; i++) {
  direct.push(timeRun([bin, "--version"]))
  viaNode.push(timeRun(["node", launcher, "--version"]))
}
const d = median(direct)
const n = median(viaNode)
const lines = [
  `npm channel: exec -> exit of 'opencode-bun --version', median of ${RUNS} (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`,
  `  the executable itself (what npm install -g leaves): ${d.toFixed(1)} ms`,
  `  through a Node launcher:                           ${n.toFixed(1)} ms (+${(n - d).toFixed(1)} ms, ${(n / d).toFixed(2)}x)`,
]
for (const l of lines) console.log(l)
fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results/npm-launcher.txt"), lines.join("\n") + "\n")
