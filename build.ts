#!/usr/bin/env bun
// Builds the server into one self-contained executable per platform, without internet: each
// target's Bun runtime comes from the npm registry (@oven/bun-<os>-<arch>, the very version
// running this script, since bytecode only loads in the runtime that compiled it), cached
// under node_modules/.cache.
//
//   bun build.ts                         every platform into dist/, then dist/SHA256SUMS
//   bun build.ts --target linux-x64      one (repeat --target, or --target current)
//
// Files the program embeds (`import x from "./f" with { type: "file" }`) travel inside the
// executable by themselves. Platform-specific ones can be chosen in code through
// process.env.OPENCODE_BUILD_TARGET, which is inlined per target here ("linux-x64", ...).
// ripgrep is one: src/file/ripgrep-embed.ts swaps in the target's rg (from
// @vscode/ripgrep-<os>-<arch>, also fetched with `npm pack` and cached under node_modules/.cache).
import fs from "node:fs"
import path from "node:path"
import { parseArgs } from "node:util"
import { ripgrepPlugin } from "./src/file/ripgrep-embed"

const ROOT = import.meta.dir

export const PLATFORMS = {
  "linux-x64": { npm: "@oven/bun-linux-x64", target: "bun-linux-x64" },
  "linux-arm64": { npm: "@oven/bun-linux-aarch64", target: "bun-linux-arm64" },
  "darwin-x64": { npm: "@oven/bun-darwin-x64", target: "bun-darwin-x64" },
  "darwin-arm64": { npm: "@oven/bun-darwin-aarch64", target: "bun-darwin-arm64" },
  "windows-x64": { npm: "@oven/bun-windows-x64", target: "bun-windows-x64" },
} as const

export type Platform = keyof typeof PLATFORMS

export function hostPlatform(): Platform | undefined {
  const os = process.platform === "win32" ? "windows" : process.platform
  const name = `${os}-${process.arch}`
  return name in PLATFORMS ? (name as Platform) : undefined
}

const exe = (p: Platform) => (p.startsWith("windows") ? ".exe" : "")

/** Where `bun build.ts` puts the executable for a platform. */
export function binaryPath(p: Platform, outdir = path.join(ROOT, "dist")) {
  return path.join(outdir, `opencode-${p}${exe(p)}`)
}

class BuildError extends Error {}

function run(cmd: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = Bun.spawnSync(cmd, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdout: "pipe", stderr: "pipe" })
  if (r.exitCode !== 0) throw new BuildError(`${cmd.join(" ")} failed (exit ${r.exitCode}):\n${r.stderr.toString()}${r.stdout.toString()}`)
  return r.stdout.toString()
}

/** The Bun runtime for a platform, fetched once with `npm pack` (the registry is the only network). */
function runtime(p: Platform): string {
  const { npm } = PLATFORMS[p]
  const cacheRoot = process.env.OPENCODE_BUILD_CACHE ?? path.join(ROOT, "node_modules/.cache/bun-runtimes")
  const dir = path.join(cacheRoot, Bun.version, p)
  const bin = path.join(dir, "package/bin", `bun${exe(p)}`)
  if (fs.existsSync(bin)) return bin
  if (!Bun.which("npm")) throw new BuildError(`npm is needed to fetch ${npm}@${Bun.version}; install Node.js/npm`)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const packed = JSON.parse(run(["npm", "pack", `${npm}@${Bun.version}`, "--json", "--pack-destination", dir], { cwd: dir }))
  const tarball = path.join(dir, packed[0].filename)
  run(["tar", "-xzf", tarball, "-C", dir])
  fs.rmSync(tarball)
  if (!fs.existsSync(bin)) throw new BuildError(`${npm}@${Bun.version} holds no bin/bun${exe(p)}`)
  fs.chmodSync(bin, 0o755)
  return bin
}

async function compile(p: Platform, outdir: string) {
  const outfile = binaryPath(p, outdir)
  const t0 = performance.now()
  const r = await Bun.build({
    entrypoints: [path.join(ROOT, "src/index.ts")],
    compile: {
      target: PLATFORMS[p].target,
      executablePath: runtime(p),
      outfile,
      // The server runs inside users' projects: their .env and bunfig.toml are not its own.
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
    minify: true,
    // Precompiled bytecode roughly halves start-up; it needs ESM for top-level await.
    bytecode: true,
    format: "esm",
    define: { "process.env.OPENCODE_BUILD_TARGET": JSON.stringify(p) },
    // The target's own rg, not the host's (a plugin is why this uses Bun.build, not the CLI).
    plugins: [await ripgrepPlugin(p)],
    throw: false,
  })
  if (!r.success) throw new BuildError(`compiling ${p} failed:\n${r.logs.map(String).join("\n")}`)
  const mb = (fs.statSync(outfile).size / 1024 / 1024).toFixed(0)
  console.log(`built ${path.relative(ROOT, outfile)} (${mb} MB, ${((performance.now() - t0) / 1000).toFixed(1)} s)`)
  return outfile
}

async function sha256(file: string) {
  const hasher = new Bun.CryptoHasher("sha256")
  const reader = Bun.file(file).stream().getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) hasher.update(r.value)
  return hasher.digest("hex")
}

/** `sha256sum -c`-compatible list of every executable in outdir, built now or earlier. */
async function writeChecksums(outdir: string) {
  const names = fs.readdirSync(outdir).filter((n) => /^opencode-[a-z0-9]+-[a-z0-9]+(\.exe)?$/.test(n)).sort()
  const lines = []
  for (const n of names) lines.push(`${await sha256(path.join(outdir, n))}  ${n}`)
  fs.writeFileSync(path.join(outdir, "SHA256SUMS"), lines.join("\n") + "\n")
  console.log(`wrote ${path.relative(ROOT, path.join(outdir, "SHA256SUMS"))} (${names.length} files)`)
}

function targets(values: string[] | undefined): Platform[] {
  if (!values?.length) return Object.keys(PLATFORMS) as Platform[]
  const out = new Set<Platform>()
  for (const v of values.flatMap((x) => x.split(","))) {
    const name = v === "current" ? hostPlatform() : v
    if (!name || !(name in PLATFORMS)) throw new BuildError(`unknown target '${v}': expected ${Object.keys(PLATFORMS).join(", ")} or current`)
    out.add(name as Platform)
  }
  return [...out]
}

async function main() {
  const { values } = parseArgs({
    args: Bun.argv.slice(2),
    options: { target: { type: "string", multiple: true }, outdir: { type: "string" } },
  })
  const outdir = path.resolve(values.outdir ?? path.join(ROOT, "dist"))
  const list = targets(values.target)
  fs.mkdirSync(outdir, { recursive: true })
  for (const p of list) await compile(p, outdir)
  await writeChecksums(outdir)
}

if (import.meta.main) {
  try {
    await main()
  } catch (e) {
    console.error(`build failed: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  }
}
