import fs from "node:fs"
import path from "node:path"

/**
 * Walks up from the file's folder to `stop` and returns the first folder holding one of the
 * markers. Groups are tried in order, so a lock file (monorepo root) can win over a nearer
 * package.json. Undefined when no marker is found.
 */
export function nearestRoot(file: string, stop: string, groups: string[][]): string | undefined {
  for (const markers of groups) {
    for (const dir of ancestors(path.dirname(file), stop)) {
      if (markers.some((m) => fs.existsSync(path.join(dir, m)))) return dir
    }
  }
}

/** The outermost Cargo workspace above the crate, since rust-analyzer wants the workspace. */
export function cargoRoot(file: string, stop: string): string | undefined {
  const crate = nearestRoot(file, stop, [["Cargo.toml"]])
  if (!crate) return
  let root = crate
  for (const dir of ancestors(path.dirname(crate), stop)) {
    const manifest = path.join(dir, "Cargo.toml")
    try {
      if (/^\s*\[workspace\]/m.test(fs.readFileSync(manifest, "utf8"))) root = dir
    } catch {}
  }
  return root
}

/** `from` and each parent up to and including `stop` (or the filesystem root when outside it). */
export function ancestors(from: string, stop: string): string[] {
  const out: string[] = []
  let dir = from
  while (true) {
    out.push(dir)
    if (dir === stop) break
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return out
}
