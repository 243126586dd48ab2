#!/usr/bin/env bun
// Builds every install channel into dist/release/ from one command, offline (the npm registry
// for Bun runtimes aside, as build.ts does):
//
//   npm run release                                   every target
//   bun release.ts --target linux-x64 --target ...    some (repeatable, or comma-separated)
//   bun release.ts --base-url URL                     where the files will be served ({version} allowed)
//   bun release.ts --from dist                        reuse executables build.ts already made there
//
// Writes: opencode-bun-<target>.tar.gz|.zip, opencode-bun_<version>_<arch>.deb, npm/*.tgz
// (one per platform and the opencode-bun wrapper), homebrew-tap/Formula/opencode-bun.rb,
// install.sh, Dockerfile, and SHA256SUMS over all of them. One version everywhere:
// package.json's, which the executable also reports (src/global/version.ts).
import fs from "node:fs"
import path from "node:path"
import { parseArgs } from "node:util"
import pkg from "./package.json" with { type: "json" }
import { binaryPath, compile, recordOrder, type Platform } from "./build"
import { archive } from "./packaging/archive"
import { deb } from "./packaging/deb"
import { formula } from "./packaging/homebrew"
import { platformPackage, wrapperPackage } from "./packaging/npm"
import { ALL, archiveName, CONTAINER, DEB } from "./packaging/targets"
import { detectScript, fill, ReleaseError, writeChecksums, type Meta } from "./packaging/util"

const ROOT = import.meta.dir

/** Where releases are published until the project says otherwise (package.json "homepage"). */
export const PROJECT_URL = "https://github.com/opencode-bun/opencode-bun"
export const DEFAULT_BASE_URL = `${PROJECT_URL}/releases/download/v{version}`

export type ReleaseOptions = {
  targets?: Platform[]
  outdir?: string
  baseUrl?: string
  /** A folder with executables named as build.ts names them; targets found there are not compiled again. */
  from?: string
  profile?: boolean
  log?: (line: string) => void
}

export function meta(baseUrl = DEFAULT_BASE_URL): Meta {
  const p = pkg as typeof pkg & { homepage?: string; author?: string; license?: string }
  const licenseFile = path.join(ROOT, "LICENSE")
  if (!fs.existsSync(licenseFile)) throw new ReleaseError("LICENSE is missing: every archive and package carries it")
  const homepage = p.homepage ?? PROJECT_URL
  return {
    version: p.version,
    description: p.description,
    license: p.license ?? "UNLICENSED",
    homepage,
    repository: homepage,
    maintainer: p.author ?? "opencode-bun maintainers <maintainers@opencode-bun.invalid>",
    baseUrl: baseUrl.replaceAll("{version}", p.version).replace(/\/+$/, ""),
    readme: path.join(ROOT, "README.md"),
    licenseFile,
  }
}

/** Builds the release; resolves with the files written, relative to outdir. */
export async function release(opts: ReleaseOptions = {}) {
  const log = opts.log ?? console.log
  const targets = opts.targets ?? ALL
  const outdir = path.resolve(opts.outdir ?? path.join(ROOT, "dist/release"))
  const m = meta(opts.baseUrl)
  fs.rmSync(outdir, { recursive: true, force: true })
  fs.mkdirSync(path.join(outdir, "npm"), { recursive: true })
  const work = fs.mkdtempSync(path.join(path.dirname(outdir), ".release-work-"))
  try {
    const binaries = await executables(targets, work, opts)
    const archives = new Map<Platform, string>()
    for (const p of targets) {
      const debArch = Object.keys(DEB).find((a) => DEB[a] === p)
      // Each step compresses ~120 MB: run a target's three side by side.
      const [a] = await Promise.all([
        archive(p, binaries.get(p)!, m, work, outdir),
        platformPackage(p, binaries.get(p)!, m, work, path.join(outdir, "npm")),
        debArch ? deb(debArch, p, binaries.get(p)!, m, work, outdir) : undefined,
      ])
      archives.set(p, a)
      log(`packaged ${p}`)
    }
    await wrapperPackage(targets, m, work, path.join(outdir, "npm"))
    const brew = await formula(archives, m, outdir)
    if (brew.missing.length) log(`the Homebrew formula leaves out ${brew.missing.join(", ")} (not built)`)
    writeScript(outdir, "install.sh", detectScript(read("packaging/install.sh")), m)
    writeDockerfile(outdir, m, targets, log)
    const count = await writeChecksums(outdir)
    log(`wrote ${path.relative(process.cwd(), outdir) || "."}/SHA256SUMS (${count} files), version ${m.version}, base URL ${m.baseUrl}`)
    return fs.readFileSync(path.join(outdir, "SHA256SUMS"), "utf8").trim().split("\n").map((l) => l.slice(66))
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

async function executables(targets: Platform[], work: string, opts: ReleaseOptions) {
  const out = new Map<Platform, string>()
  const toBuild = targets.filter((p) => {
    const prebuilt = opts.from && binaryPath(p, path.resolve(opts.from))
    if (prebuilt && fs.existsSync(prebuilt)) out.set(p, prebuilt)
    return !out.has(p)
  })
  if (!toBuild.length) return out
  const order = opts.profile === false ? undefined : await recordOrder()
  for (const p of toBuild) out.set(p, await compile(p, path.join(work, "bin"), order))
  return out
}

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8")

function writeScript(outdir: string, name: string, template: string, m: Meta) {
  const file = path.join(outdir, name)
  fs.writeFileSync(file, fill(template, { VERSION: m.version, BASE_URL: m.baseUrl }))
  fs.chmodSync(file, 0o755)
}

function writeDockerfile(outdir: string, m: Meta, targets: Platform[], log: (l: string) => void) {
  const names = { amd64: archiveName(CONTAINER.amd64), arm64: archiveName(CONTAINER.arm64) }
  const text = fill(read("packaging/container/Dockerfile"), {
    VERSION: m.version,
    ARCHIVES: `${names.amd64} ${names.arm64}`,
    ARCHIVE_AMD64: names.amd64,
    ARCHIVE_ARM64: names.arm64,
  })
  fs.writeFileSync(path.join(outdir, "Dockerfile"), text)
  const absent = Object.values(CONTAINER).filter((p) => !targets.includes(p))
  if (absent.length) log(`the Dockerfile needs ${absent.join(" and ")}, not built this time`)
}

function parseTargets(values: string[] | undefined): Platform[] | undefined {
  if (!values?.length) return undefined
  const list = values.flatMap((v) => v.split(",")).filter(Boolean)
  for (const v of list) if (!ALL.includes(v as Platform)) throw new ReleaseError(`unknown target '${v}': expected ${ALL.join(", ")}`)
  return [...new Set(list)] as Platform[]
}

if (import.meta.main) {
  try {
    const { values } = parseArgs({
      args: Bun.argv.slice(2),
      options: {
        target: { type: "string", multiple: true },
        outdir: { type: "string" },
        "base-url": { type: "string" },
        from: { type: "string" },
        "no-profile": { type: "boolean" },
      },
    })
    await release({
      targets: parseTargets(values.target),
      outdir: values.outdir,
      baseUrl: values["base-url"] ?? process.env.OPENCODE_BUN_RELEASE_URL,
      from: values.from,
      profile: !values["no-profile"],
    })
  } catch (e) {
    console.error(`release failed: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  }
}
