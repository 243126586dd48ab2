// Runs once when npm installs opencode-bun: puts this machine's executable (from one of the
// optional opencode-bun-<os>-<arch>[-musl][-baseline] packages) in place of the bin/
// placeholder, so the `opencode-bun` command IS the executable: no launcher runs at start-up.
import { spawnSync } from "node:child_process"
import fs from "node:fs"
import { createRequire } from "node:module"
import path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))

/** Package suffixes to try, best first. A later one only serves when an earlier one is missing or does not run. */
export function candidates({ platform, arch, musl, avx2 }) {
  const os = platform === "win32" ? "windows" : platform
  if (!["linux", "darwin", "windows"].includes(os) || !["x64", "arm64"].includes(arch)) return []
  const base = os === "linux" && musl ? `${os}-${arch}-musl` : `${os}-${arch}`
  if (arch !== "x64") return [base]
  // An AVX2 build on a CPU without AVX2 dies on its first instruction; a baseline build
  // runs everywhere, slightly slower. Without certainty (Windows), try AVX2 then baseline.
  return avx2 === false ? [`${base}-baseline`] : [base, `${base}-baseline`]
}

function isMusl() {
  if (process.platform !== "linux") return false
  if (fs.existsSync("/etc/alpine-release")) return true
  // Node reports the glibc it runs on; a Node built for musl has none to report.
  return !process.report?.getReport()?.header?.glibcVersionRuntime
}

/** true / false when known, undefined when this system cannot say cheaply. */
function hasAvx2() {
  if (process.arch !== "x64") return false
  if (process.platform === "linux") {
    try {
      return /\bavx2\b/.test(fs.readFileSync("/proc/cpuinfo", "utf8"))
    } catch {
      return undefined
    }
  }
  if (process.platform === "darwin") {
    const r = spawnSync("sysctl", ["-n", "hw.optional.avx2_0"], { encoding: "utf8", timeout: 2000 })
    return r.status === 0 ? r.stdout.trim() === "1" : undefined
  }
  return undefined
}

function locate(name, exe) {
  try {
    const manifest = createRequire(path.join(here, "package.json")).resolve(`${name}/package.json`)
    const bin = path.join(path.dirname(manifest), "bin", exe)
    return fs.existsSync(bin) ? bin : undefined
  } catch {
    return undefined
  }
}

function place(source, target) {
  const tmp = `${target}.${process.pid}`
  fs.rmSync(tmp, { force: true })
  try {
    fs.linkSync(source, tmp)
  } catch {
    fs.copyFileSync(source, tmp)
  }
  fs.chmodSync(tmp, 0o755)
  fs.renameSync(tmp, target)
}

function main() {
  const pkg = JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8"))
  const exe = process.platform === "win32" ? "opencode-bun.exe" : "opencode-bun"
  const target = path.join(here, "bin", "opencode-bun.exe")
  const forced = process.env.OPENCODE_BUN_TARGET
  const list = forced ? [forced] : candidates({ platform: process.platform, arch: process.arch, musl: isMusl(), avx2: hasAvx2() })
  const tried = []
  for (const suffix of list) {
    const name = `opencode-bun-${suffix}`
    const bin = locate(name, exe)
    if (!bin) {
      tried.push(`${name} (not installed)`)
      continue
    }
    const run = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000, windowsHide: true })
    if (run.status !== 0 || run.stdout.trim() !== pkg.version) {
      tried.push(`${name} (does not run here: ${run.error?.message ?? run.signal ?? `exit ${run.status}, version '${run.stdout.trim()}'`})`)
      continue
    }
    place(bin, target)
    console.log(`opencode-bun ${pkg.version}: using ${name}`)
    return
  }
  if (!list.length) throw new Error(`opencode-bun has no build for ${process.platform}-${process.arch}`)
  throw new Error(
    `opencode-bun: no usable executable for this machine; tried ${tried.join(", ")}. ` +
      `npm may have skipped the optional dependency: install it with 'npm install -g opencode-bun-${list[0]}@${pkg.version}' ` +
      `or reinstall without --omit=optional.`,
  )
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main()
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e))
    process.exit(1)
  }
}
