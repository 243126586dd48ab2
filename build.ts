#!/usr/bin/env bun
// Builds the server into one self-contained executable per platform, without internet: each
// target's Bun runtime comes from the npm registry (@oven/bun-<os>-<arch>, the very version
// running this script, since bytecode only loads in the runtime that compiled it), cached
// under node_modules/.cache.
//
//   bun build.ts                         every platform into dist/, then dist/SHA256SUMS
//   bun build.ts --target linux-x64      one (repeat --target, or --target current)
//   bun build.ts --no-profile            without recording a start-up profile first (see recordOrder)
//   bun build.ts --no-web                without the web interface (src/web/embed.ts; to measure what it adds)
//
// Files the program embeds (`import x from "./f" with { type: "file" }`) travel inside the
// executable by themselves. Platform-specific ones can be chosen in code through
// process.env.OPENCODE_BUILD_TARGET, which is inlined per target here ("linux-x64", ...).
// ripgrep is one: src/file/ripgrep-embed.ts swaps in the target's rg (from
// @vscode/ripgrep-<os>-<arch>, also fetched with `npm pack` and cached under node_modules/.cache).
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import { ripgrepPlugin } from "./src/file/ripgrep-embed"
import { webPlugin } from "./src/web/embed"
import { refreshSnapshot } from "./scripts/catalog-snapshot"

const ROOT = import.meta.dir

// "-musl": Alpine and other musl systems (containers); "-baseline": x64 CPUs without AVX2.
// Both are Bun's own runtime variants, published on npm like the others.
export const PLATFORMS = {
  "linux-x64": { npm: "@oven/bun-linux-x64", target: "bun-linux-x64" },
  "linux-x64-baseline": { npm: "@oven/bun-linux-x64-baseline", target: "bun-linux-x64-baseline" },
  "linux-x64-musl": { npm: "@oven/bun-linux-x64-musl", target: "bun-linux-x64-musl" },
  "linux-x64-musl-baseline": { npm: "@oven/bun-linux-x64-musl-baseline", target: "bun-linux-x64-baseline-musl" },
  "linux-arm64": { npm: "@oven/bun-linux-aarch64", target: "bun-linux-arm64" },
  "linux-arm64-musl": { npm: "@oven/bun-linux-aarch64-musl", target: "bun-linux-arm64-musl" },
  "darwin-x64": { npm: "@oven/bun-darwin-x64", target: "bun-darwin-x64" },
  "darwin-x64-baseline": { npm: "@oven/bun-darwin-x64-baseline", target: "bun-darwin-x64-baseline" },
  "darwin-arm64": { npm: "@oven/bun-darwin-aarch64", target: "bun-darwin-arm64" },
  "windows-x64": { npm: "@oven/bun-windows-x64", target: "bun-windows-x64" },
  "windows-x64-baseline": { npm: "@oven/bun-windows-x64-baseline", target: "bun-windows-x64-baseline" },
} as const

export type Platform = keyof typeof PLATFORMS

export function hostPlatform(): Platform | undefined {
  const system = process.platform === "win32" ? "windows" : process.platform
  const name = `${system}-${process.arch}`
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

/** Tier-up thresholds x8 while the server starts (see compile). */
export const JIT_POLICY = 8
/** Where the last recorded start-up profile is kept (see recordOrder). */
export const ORDER_FILE = path.join(ROOT, "node_modules/.cache/bytecode-order/serve.order")

/**
 * Compiles one platform's executable into outdir; resolves with its path. `order` is a
 * bytecode profile (see recordOrder) that lays out the functions start-up runs first.
 */
export async function compile(p: Platform, outdir = path.join(ROOT, "dist"), order?: string, opts: { web?: boolean } = {}) {
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
      // Start-up code runs once: JIT-compiling it costs time and memory for nothing. The
      // server restores the normal policy once it listens (src/cli/serve.ts).
      jitPolicy: JIT_POLICY,
      bytecodeOrder: order,
    },
    minify: true,
    // Precompiled bytecode roughly halves start-up; it needs ESM for top-level await.
    bytecode: true,
    format: "esm",
    define: { "process.env.OPENCODE_BUILD_TARGET": JSON.stringify(p) },
    // The target's own rg, not the host's (a plugin is why this uses Bun.build, not the CLI).
    plugins: [await ripgrepPlugin(p), await webPlugin(opts.web ?? true)],
    throw: false,
  })
  if (!r.success) throw new BuildError(`compiling ${p} failed:\n${r.logs.map(String).join("\n")}`)
  const mb = (fs.statSync(outfile).size / 1024 / 1024).toFixed(0)
  console.log(`built ${path.relative(ROOT, outfile)} (${mb} MB, ${((performance.now() - t0) / 1000).toFixed(1)} s)`)
  return outfile
}

/**
 * Records which functions the server runs while it starts and answers its first requests
 * (BUN_BYTECODE_ORDER_OUT), with a fresh host build. Built with that profile, every target
 * keeps them together at the front of its bytecode, so start-up touches less of the
 * executable: several MB less resident memory. Functions are matched by a hash of their
 * syntax, so one profile serves every target. Undefined (a plain layout) when the host
 * cannot run a build, or the run fails: the profile is an optimisation, never a reason to
 * fail the build.
 */
export async function recordOrder(): Promise<string | undefined> {
  const host = hostPlatform()
  if (!host) return undefined
  const out = ORDER_FILE
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-order-"))
  try {
    const bin = await compile(host, work)
    const recorded = path.join(work, "serve.order")
    await exerciseServer(bin, work, recorded)
    if (!fs.existsSync(recorded) || fs.statSync(recorded).size === 0) throw new BuildError("the run wrote no profile")
    fs.mkdirSync(path.dirname(out), { recursive: true })
    fs.copyFileSync(recorded, out)
    console.log(`recorded ${path.relative(ROOT, out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KB)`)
    return out
  } catch (e) {
    console.warn(`no bytecode profile, building with the plain layout: ${e instanceof Error ? e.message : String(e)}`)
    return undefined
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

/** Starts the server, makes the requests a client's first seconds make, and stops it with SIGTERM. */
async function exerciseServer(bin: string, work: string, profile: string) {
  const project = path.join(work, "project")
  fs.mkdirSync(project)
  const env: Record<string, string | undefined> = { ...process.env, BUN_BYTECODE_ORDER_OUT: profile, OPENCODE_LOG_LEVEL: "error" }
  env.OPENCODE_BUN_DATA_DIR = path.join(work, "data")
  env.OPENCODE_BUN_STATE_DIR = path.join(work, "state")
  env.OPENCODE_BUN_CACHE_DIR = path.join(work, "cache")
  delete env.OPENCODE_SERVER_PASSWORD
  const proc = Bun.spawn([bin, "serve", "--port", "0", "--hostname", "127.0.0.1"], { cwd: project, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  const killer = setTimeout(() => proc.kill("SIGKILL"), 20_000)
  try {
    const reader = proc.stdout.getReader()
    let text = ""
    let url: string | undefined
    while (!url) {
      const r = await reader.read()
      if (r.done) throw new BuildError(`the server exited before listening: ${await new Response(proc.stderr).text()}`)
      text += new TextDecoder().decode(r.value)
      url = /listening on (http:\/\/\S+)/.exec(text)?.[1]
    }
    const dir = `directory=${encodeURIComponent(project)}`
    for (const p of ["/global/health", `/project/current?${dir}`, `/path?${dir}`, `/config?${dir}`, `/session?${dir}`]) {
      const r = await fetch(url + p)
      await r.arrayBuffer()
      if (!r.ok) throw new BuildError(`GET ${p} answered ${r.status}`)
    }
    proc.kill("SIGTERM")
    const code = await proc.exited
    if (code !== 0) throw new BuildError(`the server exited with ${code} on SIGTERM`)
  } finally {
    clearTimeout(killer)
    proc.kill("SIGKILL")
  }
}

async function sha256(file: string) {
  const hasher = new Bun.CryptoHasher("sha256")
  const reader = Bun.file(file).stream().getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) hasher.update(r.value)
  return hasher.digest("hex")
}

/** `sha256sum -c`-compatible list of every executable in outdir, built now or earlier. */
async function writeChecksums(outdir: string) {
  const names = fs.readdirSync(outdir).filter((n) => /^opencode-[a-z0-9]+-[a-z0-9]+(-[a-z]+)*(\.exe)?$/.test(n)).sort()
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
    options: { target: { type: "string", multiple: true }, outdir: { type: "string" }, "no-profile": { type: "boolean" }, "no-web": { type: "boolean" }, "no-catalog": { type: "boolean" } },
  })
  // The model catalog the binary carries: replaced only by a newer one (models.dev, else the
  // opencode-ai package); offline with nothing newer, the committed snapshot stays.
  if (!values["no-catalog"]) await refreshSnapshot()
  const outdir = path.resolve(values.outdir ?? path.join(ROOT, "dist"))
  const list = targets(values.target)
  fs.mkdirSync(outdir, { recursive: true })
  const order = values["no-profile"] ? undefined : await recordOrder()
  for (const p of list) await compile(p, outdir, order, { web: !values["no-web"] })
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
