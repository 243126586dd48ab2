// Where start-up time and idle memory go: compiles a probe (same flags as the real binary)
// that imports each route module in app.ts's order and prints what each import cost. Shared
// dependencies are charged to the first module that pulls them in.
//
//   bun bench/foundation-imports.ts
import fs from "node:fs"
import path from "node:path"
import { JIT_POLICY, ORDER_FILE } from "../build"

const ROOT = path.resolve(import.meta.dir, "..")
const dir = path.join(ROOT, "node_modules/.cache/bench-imports")
fs.mkdirSync(dir, { recursive: true })

const app = fs.readFileSync(path.join(ROOT, "src/server/app.ts"), "utf8")
const routes = [...app.matchAll(/from "\.\/routes\/([\w-]+)"/g)].map((m) => m[1])
const rel = (p: string) => path.relative(dir, path.join(ROOT, p)).split(path.sep).join("/")

const step = (label: string, code: string) =>
  `t0 = performance.now(); r0 = process.memoryUsage.rss(); ${code}; rows.push([${JSON.stringify(label)}, performance.now() - t0, process.memoryUsage.rss() - r0])`
const probe = [
  "const rows: [string, number, number][] = []",
  "let t0 = 0, r0 = 0",
  step("elysia", 'await import("elysia")'),
  ...routes.map((r) => step(`routes/${r}`, `await import("${rel(`src/server/routes/${r}`)}")`)),
  step("rest of app.ts", `var { createApp } = await import("${rel("src/server/app")}")`),
  step("createApp()", "createApp({})"),
  "rows.sort((a, b) => b[2] - a[2])",
  'for (const [l, ms, b] of rows) console.log(`  ${l.padEnd(28)} ${ms.toFixed(1).padStart(6)} ms ${(b / 1048576).toFixed(1).padStart(6)} MB`)',
  'console.log(`  total RSS after all imports: ${(process.memoryUsage.rss() / 1048576).toFixed(1)} MB`)',
].join("\n")
fs.writeFileSync(path.join(dir, "probe.ts"), probe + "\n")

const out = path.join(dir, "probe")
const flags = ["--compile", "--minify", "--bytecode", "--format=esm", `--compile-jit-policy=${JIT_POLICY}`]
// The profile the last `bun build.ts` recorded, when there is one (it matches functions by their syntax).
if (fs.existsSync(ORDER_FILE)) flags.push(`--bytecode-order=${ORDER_FILE}`)
const build = Bun.spawnSync([process.execPath, "build", ...flags, path.join(dir, "probe.ts"), `--outfile=${out}`], { stdout: "pipe", stderr: "pipe" })
if (build.exitCode !== 0) throw new Error(build.stderr.toString())
const data = fs.mkdtempSync(path.join(dir, "data-"))
const run = Bun.spawnSync([out], { cwd: dir, env: { ...process.env, OPENCODE_BUN_DATA_DIR: data, OPENCODE_LOG_LEVEL: "error" }, stdout: "pipe", stderr: "inherit" })
fs.rmSync(data, { recursive: true, force: true })
console.log("cost of each import at start-up (compiled, bytecode), largest RSS first:")
process.stdout.write(run.stdout.toString())
