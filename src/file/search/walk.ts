import fs from "node:fs/promises"
import path from "node:path"
import type { IgnoreRules } from "../ignore"

export type WalkEntry = { rel: string; dir: boolean }

export type WalkOptions = {
  /** Level by level with each directory's entries in name order (the list tool's tree), instead of depth first. */
  breadthFirst?: boolean
  /** Also yield symlinks and other non-regular entries, as files (never followed). */
  allEntries?: boolean
  /** Extra filter: an entry it returns true for is left out, and a directory is not opened. */
  skip?(rel: string, dir: boolean): boolean
}

/**
 * The fallback walker, used wherever rg cannot run: every file and directory under `root`
 * that the rules keep, relative paths "/"-separated. Ignored directories are never opened;
 * symlinks are not followed (as rg without --follow), so a link can never lead the walk out
 * of the project.
 */
export async function* walk(root: string, rules: IgnoreRules, opts: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const pending = [""]
  let head = 0
  while (opts.breadthFirst ? head < pending.length : pending.length > 0) {
    const dir = opts.breadthFirst ? pending[head++] : pending.pop()!
    let entries: import("node:fs").Dirent[]
    try {
      entries = await fs.readdir(path.join(root, dir), { withFileTypes: true })
    } catch {
      continue
    }
    if (opts.breadthFirst) entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      const isDir = e.isDirectory()
      if (!isDir && !opts.allEntries && (e.isSymbolicLink() || !e.isFile())) continue
      const rel = dir ? `${dir}/${e.name}` : e.name
      if (rules.ignores(rel, isDir) || opts.skip?.(rel, isDir)) continue
      yield { rel, dir: isDir }
      if (isDir) pending.push(rel)
    }
  }
}
