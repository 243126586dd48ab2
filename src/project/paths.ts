import fs from "node:fs"
import path from "node:path"

/** realpath of p, or of its deepest existing ancestor joined with the rest (for new files). */
export function realish(p: string): string {
  const abs = path.resolve(p)
  let cur = abs
  const rest: string[] = []
  while (true) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse())
    } catch {
      const parent = path.dirname(cur)
      if (parent === cur) return abs
      rest.push(path.basename(cur))
      cur = parent
    }
  }
}

/** True when `child` is `root` or inside it, after resolving symlinks on both sides. */
export function contains(root: string, child: string): boolean {
  const r = realish(root)
  const c = realish(child)
  const rel = path.relative(r, c)
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))
}

/**
 * Resolves a user- or model-given path against the project directory and tells whether it
 * stays inside the project (symlinks included). Callers decide what "outside" means: the
 * file API refuses with 403, tools ask the permission gate.
 */
export function resolveIn(root: string, base: string, p: string): { absolute: string; inside: boolean } {
  const absolute = path.resolve(base, p)
  return { absolute, inside: contains(root, absolute) }
}
