// Build-time only (never imported by the server): finds the ripgrep binary for a compile
// target and swaps src/file/rg-binary.ts for a module that embeds it. build.ts calls
// `await ripgrepPlugin(target)` and passes the plugin to Bun.build({ compile, plugins }).
import fs from "node:fs"
import path from "node:path"
import type { BunPlugin } from "bun"

const ROOT = path.resolve(import.meta.dir, "../..")

/** "bun-linux-arm64-musl" | "linux-x64" | "bun-windows-x64-baseline" -> @vscode/ripgrep package + binary. */
export function ripgrepPackageFor(target: string): { pkg: string; bin: string } {
  const m = /^(?:bun-)?(linux|darwin|windows|win32)-(x64|arm64)(?:-.*)?$/.exec(target)
  if (!m) throw new Error(`ripgrep: unsupported compile target '${target}' (expected bun-<linux|darwin|windows>-<x64|arm64>[-variant])`)
  const os = m[1] === "windows" ? "win32" : m[1]
  return { pkg: `@vscode/ripgrep-${os}-${m[2]}`, bin: os === "win32" ? "bin/rg.exe" : "bin/rg" }
}

/** The version @vscode/ripgrep pins for its per-platform packages. */
function pinnedVersion(pkg: string): string {
  const meta = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@vscode/ripgrep/package.json"), "utf8"))
  const v = meta.optionalDependencies?.[pkg]
  if (!v) throw new Error(`ripgrep: @vscode/ripgrep has no optional dependency ${pkg}`)
  return v
}

/**
 * Absolute path of the target's rg. npm installs only the host's platform package, so other
 * targets are fetched once with `npm pack` (the npm registry is the one network we rely on)
 * into node_modules/.cache/ripgrep and reused offline after that.
 */
export async function ripgrepBinaryFor(target: string): Promise<string> {
  const { pkg, bin } = ripgrepPackageFor(target)
  const version = pinnedVersion(pkg)
  const installed = path.join(ROOT, "node_modules", pkg)
  if (fs.existsSync(path.join(installed, bin)) && readVersion(installed) === version) return path.join(installed, bin)

  const cache = path.join(ROOT, "node_modules/.cache/ripgrep", `${pkg.replace("/", "+")}-${version}`)
  const cached = path.join(cache, "package", bin)
  if (fs.existsSync(cached)) return cached
  fs.mkdirSync(cache, { recursive: true })
  const packed = await run(["npm", "pack", `${pkg}@${version}`, "--silent", "--pack-destination", cache], ROOT)
  const tgz = path.join(cache, packed.trim().split("\n").pop()!.trim())
  await run(["tar", "-xzf", tgz, "-C", cache], ROOT)
  fs.rmSync(tgz, { force: true })
  if (!fs.existsSync(cached)) throw new Error(`ripgrep: ${pkg}@${version} has no ${bin}`)
  if (!bin.endsWith(".exe")) fs.chmodSync(cached, 0o755)
  return cached
}

/** A Bun.build plugin embedding the target's rg in place of the empty rg-binary.ts. */
export async function ripgrepPlugin(target: string): Promise<BunPlugin> {
  const binary = await ripgrepBinaryFor(target)
  return {
    name: "embed-ripgrep",
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]file[\\/]rg-binary\.ts$/ }, () => ({
        contents: `import rg from ${JSON.stringify(binary)} with { type: "file" }\nexport const embeddedRg: string | undefined = rg\n`,
        loader: "ts",
      }))
    },
  }
}

function readVersion(dir: string): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version
  } catch {
    return undefined
  }
}

async function run(cmd: string[], cwd: string): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd, stdout: "pipe", stderr: "pipe" })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new Error(`ripgrep: '${cmd.join(" ")}' failed (${code}): ${err.trim()}`)
  return out
}
