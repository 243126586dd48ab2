import fs from "node:fs"
import type { Instance } from "../project/instance"
import { contains } from "../project/paths"
import path from "node:path"
import { BadRequestError, ForbiddenError, NotFoundError } from "../util/error"

/**
 * Resolves a client-given path against the project directory. Anything that lands outside
 * the directory and its worktree after following symlinks is refused before a byte is read.
 */
export function confine(instance: Instance, p: string): string {
  if (p.includes("\0")) throw new BadRequestError("Path contains a NUL byte", "Query")
  const absolute = path.resolve(instance.directory, p)
  if (!contains(instance.directory, absolute) && !contains(instance.worktree, absolute))
    throw new ForbiddenError(`Access denied: '${p}' is outside the project directory`)
  return absolute
}

/** confine() plus an existence check: the stat of the (symlink-followed) target. */
export function confineExisting(instance: Instance, p: string): { absolute: string; stat: fs.Stats } {
  const absolute = confine(instance, p)
  try {
    return { absolute, stat: fs.statSync(absolute) }
  } catch {
    throw new NotFoundError(`No such file or directory: ${p}`)
  }
}
