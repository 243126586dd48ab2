import os from "node:os"
import path from "node:path"
import fs from "node:fs"
import { contains } from "../project/paths"
import type { ToolContext } from "./tool"

/** True when p is inside the session's directory or its worktree, symlinks resolved. */
export function insideProject(ctx: ToolContext, p: string): boolean {
  return contains(ctx.instance.directory, p) || contains(ctx.instance.worktree, p)
}

/**
 * Resolves a model-given path against the project directory. A path that leaves the project
 * (by `..`, an absolute path, `~`, or a symlink) must pass the external_directory gate first;
 * nothing is read or written before the answer.
 */
export async function resolveToolPath(ctx: ToolContext, given: string, purpose: string): Promise<string> {
  const expanded = given === "~" || given.startsWith("~/") ? path.join(os.homedir(), given.slice(1)) : given
  const absolute = path.resolve(ctx.instance.directory, expanded)
  if (insideProject(ctx, absolute)) return absolute
  const dir = isDirectory(absolute) ? absolute : path.dirname(absolute)
  await ctx.ask({
    type: "external_directory",
    pattern: path.join(dir, "*"),
    title: `${purpose} outside the project: ${absolute}`,
    metadata: { filepath: absolute, parentDir: dir },
  })
  return absolute
}

/**
 * How a path is shown in titles, messages and permission patterns: relative to the project
 * directory (what relative tool paths resolve against) when inside it, else absolute.
 */
export function displayPath(ctx: ToolContext, absolute: string): string {
  const rel = path.relative(ctx.instance.directory, absolute)
  if (!rel) return "."
  return !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : absolute
}

export function isDirectory(p: string) {
  try {
    return fs.statSync(p).isDirectory()
  } catch {
    return false
  }
}
