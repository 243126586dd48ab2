import path from "node:path"
import { ripgrepPath, runRipgrep } from "./ripgrep"
import { walk } from "./walk"

export type FindFilesOptions = {
  /** Glob relative to root; without a "/" it matches file names at any depth. */
  glob?: string
  /** Extra gitignore-style exclusions. */
  exclude?: string[]
  /** The project root, so .gitignore files above `root` apply. */
  top?: string
  /** Stop after this many matches (the result says it stopped). */
  max: number
  signal?: AbortSignal
}

/**
 * Files under root that .gitignore does not hide, optionally filtered by a glob. The glob is
 * matched here rather than passed to rg so both paths behave alike (rg's --glob would
 * re-include ignored files) and the walker fallback gives the same answers.
 */
export async function findFiles(root: string, opts: FindFilesOptions): Promise<{ files: string[]; truncated: boolean }> {
  const match = opts.glob ? globMatcher(opts.glob) : () => true
  const files: string[] = []
  let truncated = false
  const take = (rel: string) => {
    if (!match(rel)) return true
    if (files.length >= opts.max) {
      truncated = true
      return false
    }
    files.push(path.join(root, rel))
    return true
  }
  const rg = await ripgrepPath()
  if (rg) {
    const args = ["--files", "--hidden", "--no-require-git", "--no-messages", "--glob=!.git"]
    for (const e of opts.exclude ?? []) args.push(`--glob=!${e}`)
    let seen = 0
    const run = await runRipgrep(rg, args, {
      cwd: root,
      signal: opts.signal,
      onLine: (line) => (line ? (seen++, take(line.startsWith("./") ? line.slice(2) : line)) : true),
    }).catch(() => undefined)
    // rg exits 1 when nothing is listed and 2 when it skipped unreadable entries.
    if (run && (run.stopped || run.code === 0 || run.code === 1 || (run.code === 2 && seen > 0))) return { files, truncated }
  }
  files.length = 0
  truncated = false
  for await (const e of walk(root, { top: opts.top, exclude: opts.exclude, signal: opts.signal })) {
    if (!take(e.rel)) break
  }
  return { files, truncated }
}

export function globMatcher(pattern: string): (rel: string) => boolean {
  const p = pattern.startsWith("./") ? pattern.slice(2) : pattern
  const glob = new Bun.Glob(p)
  if (p.includes("/")) return (rel) => glob.match(rel.split(path.sep).join("/"))
  return (rel) => glob.match(path.basename(rel))
}
