import fs from "node:fs/promises"
import path from "node:path"
import type { IgnoreRules } from "./ignore"

export type WalkEntry = { rel: string; dir: boolean }

/**
 * Every file and directory under `root` that the rules keep, depth first, relative paths
 * "/"-separated. Ignored directories are never opened; symlinks are not followed (as rg
 * without --follow), so a link can never lead the walk out of the project.
 */
export async function* walk(root: string, rules: IgnoreRules, start = ""): AsyncGenerator<WalkEntry> {
  const stack = [start]
  while (stack.length) {
    const dir = stack.pop()!
    let entries: import("node:fs").Dirent[]
    try {
      entries = await fs.readdir(path.join(root, dir), { withFileTypes: true })
    } catch {
      continue
    }
    for (const e of entries) {
      if (e.isSymbolicLink()) continue
      const isDir = e.isDirectory()
      if (!isDir && !e.isFile()) continue
      const rel = dir ? `${dir}/${e.name}` : e.name
      if (rules.ignores(rel, isDir)) continue
      yield { rel, dir: isDir }
      if (isDir) stack.push(rel)
    }
  }
}
