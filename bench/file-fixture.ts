// The 50,000-file repository the file benchmarks run on, generated once under the temp dir
// (or BENCH_FILES_DIR) and reused while its marker matches. Deterministic: the same layout,
// contents and token frequencies every time, so runs compare.
//
//   40 packages x 25 directories x 50 files = 50,000 tracked files (~40 MB), committed;
//   plus node_modules/ and dist/ (3,000 files) that .gitignore hides.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"

const PACKAGES = 40
const DIRS = 25
const FILES = 50
const VERSION = "v1"
export const FIXTURE_FILES = PACKAGES * DIRS * FILES

/** Tokens with known frequencies, for searches with predictable result sizes. */
export const TOKENS = {
  /** 20 files. */
  rare: "NEEDLE_RARE_TOKEN",
  /** 1 in 200 files (~250). */
  medium: "computeInvoiceTotal",
}

export function fixtureDir() {
  return process.env.BENCH_FILES_DIR ?? path.join(os.tmpdir(), "ocb-bench-files-50k")
}

function rng(seed: number) {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

const WORDS = ["user", "order", "item", "cache", "value", "result", "config", "state", "event", "record", "buffer", "stream", "token", "index", "entry"]

function source(n: number, rand: () => number) {
  const w = () => WORDS[Math.floor(rand() * WORDS.length)]
  const lines = [`// module ${n}`, `import { ${w()}Helper } from "../shared/${w()}"`, ""]
  for (let f = 0; f < 4; f++) {
    const name = `${w()}${w()[0].toUpperCase()}${w().slice(1)}${f}`
    lines.push(`export function ${name}(${w()}: number, ${w()}: string) {`)
    lines.push(`  const ${w()} = ${Math.floor(rand() * 1000)} + ${w()}.length`)
    lines.push(`  return { ${w()}: ${w()}, ok: true }`)
    lines.push(`}`, "")
  }
  if (n % 200 === 7) lines.push(`export const total = ${TOKENS.medium}(1, "x")`)
  if (n % 2500 === 11) lines.push(`// ${TOKENS.rare}: keep this line`)
  return lines.join("\n") + "\n"
}

/** Creates the fixture if missing; returns its directory. Takes ~20 s the first time. */
export async function ensureFixture(): Promise<string> {
  const dir = fixtureDir()
  const marker = path.join(dir, ".git", `ocb-fixture-${VERSION}`)
  if (fs.existsSync(marker)) return dir
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const rand = rng(42)
  let n = 0
  for (let p = 0; p < PACKAGES; p++) {
    for (let d = 0; d < DIRS; d++) {
      const sub = path.join(dir, `packages/pkg-${p}/src/module-${d}`)
      fs.mkdirSync(sub, { recursive: true })
      for (let f = 0; f < FILES; f++) fs.writeFileSync(path.join(sub, `file-${f}.ts`), source(n++, rand))
    }
  }
  for (let i = 0; i < 2000; i++) {
    const sub = path.join(dir, `node_modules/dep-${i % 100}/lib`)
    fs.mkdirSync(sub, { recursive: true })
    fs.writeFileSync(path.join(sub, `f${i}.js`), `module.exports = "${TOKENS.rare}"\n`)
  }
  for (let i = 0; i < 1000; i++) {
    const sub = path.join(dir, `dist/chunk-${i % 50}`)
    fs.mkdirSync(sub, { recursive: true })
    fs.writeFileSync(path.join(sub, `c${i}.js`), `var x = "${TOKENS.medium}"\n`)
  }
  fs.writeFileSync(path.join(dir, ".gitignore"), "node_modules/\ndist/\n")
  const git = (...args: string[]) => {
    const r = Bun.spawnSync(["git", ...args], { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" }, stderr: "pipe" })
    if (r.exitCode !== 0) throw new Error(`git ${args[0]}: ${r.stderr.toString()}`)
  }
  git("init", "-q", "-b", "main")
  git("add", "-A")
  git("commit", "-q", "-m", "fixture")
  fs.writeFileSync(marker, "")
  return dir
}

if (import.meta.main) console.log(await ensureFixture())
