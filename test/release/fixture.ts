// One release build shared by every test file here (bun test runs them in one process): the
// host's own targets only, glibc (AVX2 and baseline) and musl, so the suite stays quick.
// Executables that build.ts already made fresh in dist/ (.ci/run makes linux-x64) are reused.
import fs from "node:fs"
import path from "node:path"
import { binaryPath, hostPlatform, type Platform } from "../../build"
import { release } from "../../release"
import { staleReason } from "../binary/fresh"
import { tmpdir } from "../helpers/tmp"

export const ROOT = path.resolve(import.meta.dir, "../..")
/** What the artefacts point at; the tests serve the folder there themselves when they need to. */
export const BASE_URL = "http://127.0.0.1:9/opencode-bun/v{version}"

export function hostTargets(): Platform[] | undefined {
  const host = hostPlatform()
  if (!host?.startsWith("linux-")) return undefined
  return host === "linux-x64" ? ["linux-x64", "linux-x64-baseline", "linux-x64-musl"] : [host, `${host}-musl` as Platform]
}

/** Why the release tests cannot run here, or undefined. */
export function whyNot(): string | undefined {
  if (!hostTargets()) return `release tests build and run Linux packages; this is ${process.platform}-${process.arch}`
  for (const tool of ["npm", "tar", "dpkg-deb"]) if (!Bun.which(tool)) return `${tool} is not installed`
}

let built: Promise<string> | undefined

/** The release folder (like dist/release/), built on first use. */
export function releaseDir(): Promise<string> {
  built ??= (async () => {
    const targets = hostTargets()!
    const reuse = tmpdir("prebuilt-")
    for (const p of targets) {
      if (staleReason(binaryPath(p))) continue
      try {
        fs.linkSync(binaryPath(p), binaryPath(p, reuse))
      } catch {
        fs.copyFileSync(binaryPath(p), binaryPath(p, reuse))
      }
    }
    const outdir = path.join(tmpdir("release-"), "release")
    await release({ targets, outdir, baseUrl: BASE_URL, from: reuse, profile: false, log: () => {} })
    return outdir
  })()
  return built
}

/** SHA256SUMS as a map of file -> hash. */
export function checksums(dir: string) {
  const lines = fs.readFileSync(path.join(dir, "SHA256SUMS"), "utf8").trim().split("\n")
  return new Map(lines.map((l) => [l.slice(66), l.slice(0, 64)] as [string, string]))
}

/** The build this machine should get, as install.sh and the npm placeholder decide it. */
export async function detectedTarget() {
  const proc = Bun.spawn(["sh", "-c", `. "${path.join(ROOT, "packaging/detect.sh")}" && ocb_target`], { stdout: "pipe", env: { ...process.env, OPENCODE_BUN_TARGET: "" } })
  return (await new Response(proc.stdout).text()).trim() as Platform
}
