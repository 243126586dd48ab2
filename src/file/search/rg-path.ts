import fs from "node:fs"
import path from "node:path"
import { Paths, ensureDir } from "../../global/paths"
import { createLog } from "../../util/log"
import { embeddedRg } from "../rg-binary"

const log = createLog("file.ripgrep")

let located: Promise<string | undefined> | undefined

/**
 * Path of an rg binary that can be spawned, or undefined when none exists (callers then use
 * the built-in walker). Order: the binary embedded in the compiled build (copied out to the
 * cache dir once), the one @vscode/ripgrep installed for this platform, rg on PATH.
 */
export function rgPath(): Promise<string | undefined> {
  located ??= locate()
  return located
}

async function locate(): Promise<string | undefined> {
  const candidates: Array<[string, () => Promise<string | undefined>]> = [
    ["embedded", async () => (embeddedRg ? extract(embeddedRg) : undefined)],
    ["@vscode/ripgrep", async () => (await import("@vscode/ripgrep")).rgPath],
    ["PATH", async () => Bun.which("rg") ?? undefined],
  ]
  for (const [source, find] of candidates) {
    const found = await find().catch((e) => {
      log.debug("ripgrep candidate failed", { source, error: e })
      return undefined
    })
    if (found && fs.existsSync(found)) {
      log.debug("using ripgrep", { source, path: found })
      return found
    }
  }
  log.warn("no ripgrep binary found; searching with the built-in walker")
  return undefined
}

/**
 * A file embedded in a compiled binary lives in Bun's virtual filesystem and cannot be
 * exec'd: copy it to the cache dir under a name that changes with its content, so an
 * upgraded binary never runs a stale rg and concurrent servers never see a half-written one.
 */
async function extract(embedded: string): Promise<string> {
  const bytes = new Uint8Array(await Bun.file(embedded).arrayBuffer())
  const hash = Bun.hash(bytes).toString(16).slice(0, 12)
  const dir = ensureDir(path.join(Paths.cache, "bin"))
  const target = path.join(dir, `rg-${hash}${process.platform === "win32" ? ".exe" : ""}`)
  if (fs.existsSync(target) && fs.statSync(target).size === bytes.length) return target
  const tmp = `${target}.${process.pid}.tmp`
  fs.writeFileSync(tmp, bytes, { mode: 0o755 })
  fs.chmodSync(tmp, 0o755)
  fs.renameSync(tmp, target)
  return target
}
