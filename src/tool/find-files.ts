import path from "node:path"
import type { Instance } from "../project/instance"
import { walk } from "../file/walk"
import { ripgrepPath, runRipgrep } from "./ripgrep"
import { ignoreRulesFor } from "./ignore-rules"

export type FindFilesOptions = {
  /** Glob relative to root; without a "/" it matches file names at any depth. */
  glob?: string
  /** Stop after this many matches (the result then says truncated). */
  max: number
  signal?: AbortSignal
}

/**
 * Files under root that the ignore rules keep, optionally filtered by a glob. The glob is
 * matched here rather than passed to rg so both paths behave alike (rg's --glob would
 * re-include ignored files) and the walker fallback gives the same answers.
 */
export async function findFiles(instance: Instance, root: string, opts: FindFilesOptions): Promise<FoundFiles> {
  const rg = await ripgrepPath()
  if (rg) {
    const found = collector(root, opts)
    let seen = 0
    const run = await runRipgrep(rg, ["--files", "--hidden", "--no-messages", "--glob=!.git"], {
      cwd: root,
      signal: opts.signal,
      onLine: (line) => (line ? (seen++, found.take(line.startsWith("./") ? line.slice(2) : line)) : true),
    }).catch(() => undefined)
    // rg exits 1 when nothing is listed and 2 when it skipped unreadable entries.
    if (run && (run.stopped || run.code === 0 || run.code === 1 || (run.code === 2 && seen > 0))) return found.result
  }
  return findFilesWithWalker(instance, root, opts)
}

export async function findFilesWithWalker(instance: Instance, root: string, opts: FindFilesOptions): Promise<FoundFiles> {
  const found = collector(root, opts)
  for await (const e of walk(root, ignoreRulesFor(instance, root))) {
    if (opts.signal?.aborted) break
    if (!e.dir && !found.take(e.rel)) break
  }
  return found.result
}

type FoundFiles = { files: string[]; truncated: boolean }

function collector(root: string, opts: FindFilesOptions) {
  const match = opts.glob ? globMatcher(opts.glob) : () => true
  const result: FoundFiles = { files: [], truncated: false }
  const take = (rel: string) => {
    if (!match(rel)) return true
    if (result.files.length >= opts.max) {
      result.truncated = true
      return false
    }
    result.files.push(path.join(root, rel))
    return true
  }
  return { result, take }
}

export function globMatcher(pattern: string): (rel: string) => boolean {
  const p = pattern.startsWith("./") ? pattern.slice(2) : pattern
  const glob = new Bun.Glob(p)
  if (p.includes("/")) return (rel) => glob.match(rel.split(path.sep).join("/"))
  return (rel) => glob.match(path.basename(rel))
}
