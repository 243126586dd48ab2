import fs from "node:fs"
import path from "node:path"

// Past this many links in one path, give up as the kernel does (ELOOP).
const MAX_LINKS = 40

/**
 * realpath of p, or of its deepest existing ancestor joined with the rest (for new files).
 * A dangling symlink on the way is followed to where it points: realpath fails on it, yet
 * writing through it creates its target, wherever that is.
 */
export function realish(p: string, links = 0): string {
  const abs = path.resolve(p)
  let cur = abs
  const rest: string[] = []
  while (true) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse())
    } catch {
      const target = linkTarget(cur)
      if (target !== undefined) {
        if (links >= MAX_LINKS) return path.join(path.parse(abs).root, "\0symlink-loop")
        return realish(path.join(path.resolve(path.dirname(cur), target), ...rest.reverse()), links + 1)
      }
      const parent = path.dirname(cur)
      if (parent === cur) return abs
      rest.push(path.basename(cur))
      cur = parent
    }
  }
}

function linkTarget(p: string): string | undefined {
  try {
    return fs.readlinkSync(p)
  } catch {
    return undefined
  }
}

/** True when `child` is `root` or inside it, after resolving symlinks on both sides. */
export function contains(root: string, child: string): boolean {
  const r = realish(root)
  const c = realish(child)
  const rel = path.relative(r, c)
  // "..name" is a file inside; only ".." itself or "../..." leaves.
  return rel === "" || (rel !== ".." && !rel.startsWith(".." + path.sep) && !path.isAbsolute(rel))
}
