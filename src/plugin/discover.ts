import fs from "node:fs"
import path from "node:path"
import { Paths } from "../global/paths"
import { ancestry } from "../config/sources"

const CODE = /\.(ts|js|mjs|mts)$/

/**
 * Code files in `plugin(s)/` or `tool(s)/` of every config folder, global first then the
 * project's `.opencode/` folders from the worktree root down: the same folders, in the same
 * order, as the markdown agents and commands (see config/sources.ts). Not recursive.
 */
export function codeFiles(kind: "plugin" | "tool", directory: string, worktree: string): string[] {
  const roots = [Paths.config, path.join(Paths.home, ".opencode"), ...ancestry(directory, worktree).map((d) => path.join(d, ".opencode"))]
  const out: string[] = []
  for (const root of [...new Set(roots)])
    for (const sub of [kind, kind + "s"]) {
      const dir = path.join(root, sub)
      for (const name of list(dir)) if (CODE.test(name) && !name.endsWith(".d.ts")) out.push(path.join(dir, name))
    }
  return out
}

function list(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort()
  } catch {
    return []
  }
}
