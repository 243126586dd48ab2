import type { Instance } from "../../project/instance"
import { createLog } from "../../util/log"
import { globMatcher } from "./glob"
import { rgPath } from "./rg-path"
import { runRipgrep } from "./rg-run"
import { rulesFor } from "./rules"
import { walk } from "./walk"

const log = createLog("file.search")

export type ListFilesOptions = {
  /** Glob relative to root; without a "/" it matches file names at any depth. */
  glob?: string
  /** Stop after this many files (the result then says truncated). */
  max?: number
  signal?: AbortSignal
  /** Skip rg and use the walker (the fallback's own tests compare the two). */
  walker?: boolean
}

/** Paths relative to the root, "/"-separated. */
export type ListedFiles = { files: string[]; truncated: boolean }

/**
 * Every file under root that the ignore rules keep: hidden files included, .git never.
 * `rg --files` when rg can run, else the walker. The glob is matched here rather than passed
 * to rg so both paths agree (rg's --glob would re-include ignored files).
 */
export async function listFiles(instance: Instance, root: string, opts: ListFilesOptions = {}): Promise<ListedFiles> {
  const rg = opts.walker ? undefined : await rgPath()
  if (rg) {
    const found = collector(opts)
    let seen = 0
    const run = await runRipgrep(rg, ["--files", "--hidden", "--no-messages", "--glob=!.git"], {
      cwd: root,
      signal: opts.signal,
      onLine(line) {
        line = line.replace(/\r$/, "")
        if (!line) return true
        seen++
        return found.take(normalise(line))
      },
    }).catch(() => undefined)
    // rg exits 1 when nothing is listed and 2 when it skipped unreadable entries.
    if (run && (run.stopped || run.code === 0 || run.code === 1 || (run.code === 2 && seen > 0))) return found.result
    log.warn("rg --files failed; listing with the walker", { code: run?.code, stderr: run?.stderr.slice(0, 500) })
  }
  const found = collector(opts)
  for await (const e of walk(root, rulesFor(instance, root))) {
    if (opts.signal?.aborted) break
    if (!e.dir && !found.take(e.rel)) break
  }
  return found.result
}

function normalise(line: string) {
  const rel = line.startsWith("./") ? line.slice(2) : line
  return rel.replaceAll("\\", "/")
}

function collector(opts: ListFilesOptions) {
  const match = opts.glob ? globMatcher(opts.glob) : () => true
  const max = opts.max ?? Infinity
  const result: ListedFiles = { files: [], truncated: false }
  const take = (rel: string) => {
    if (!match(rel)) return true
    if (result.files.length >= max) {
      result.truncated = true
      return false
    }
    result.files.push(rel)
    return true
  }
  return { result, take }
}
