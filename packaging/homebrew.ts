// The Homebrew formula: one url + sha256 per OS and CPU, from this release's archives.
import fs from "node:fs"
import path from "node:path"
import type { Platform } from "../build"
import { archiveName, BREW, COMMAND } from "./targets"
import { fill, sha256, type Meta } from "./util"

/** Tap layout: <outdir>/homebrew-tap/Formula/opencode-bun.rb. Platforms not built are left out (and said so). */
export async function formula(archives: Map<Platform, string>, meta: Meta, outdir: string) {
  const byOs = new Map<string, string[]>()
  const missing: Platform[] = []
  for (const b of BREW) {
    const file = archives.get(b.platform)
    if (!file) {
      missing.push(b.platform)
      continue
    }
    const block = [
      `    on_${b.cpu} do`,
      `      url "${meta.baseUrl}/${archiveName(b.platform)}"`,
      `      sha256 "${await sha256(file)}"`,
      `    end`,
    ].join("\n")
    byOs.set(b.os, [...(byOs.get(b.os) ?? []), block])
  }
  if (!byOs.size) return { file: undefined, missing }
  const blocks = [...byOs].map(([os, inner]) => `  on_${os} do\n${inner.join("\n")}\n  end\n`).join("\n")
  const text = fill(fs.readFileSync(path.join(import.meta.dir, "homebrew/opencode-bun.rb"), "utf8"), {
    VERSION: meta.version,
    HOMEPAGE: meta.homepage,
    LICENSE: meta.license,
    PLATFORMS: blocks,
  })
  const file = path.join(outdir, "homebrew-tap/Formula", `${COMMAND}.rb`)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
  return { file, missing }
}
