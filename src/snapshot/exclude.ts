import fs from "node:fs"
import path from "node:path"
import type { Instance } from "../project/instance"
import { nul, run, writeIfChanged, type Shadow } from "./shadow"

/** Files above this size are left out of snapshots: they would bloat our data dir for little use. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024

/**
 * Rewrites the shadow repository's info/exclude: the project's own .git/info/exclude (read,
 * never written) plus the untracked files that are too large to snapshot.
 */
export async function refreshExcludes(instance: Instance, s: Shadow) {
  const info = path.join(s.gitDir, "info")
  const largeFile = path.join(info, "large")
  const previous = readLines(largeFile)
  const large = new Set(previous.filter((rel) => sizeOf(path.join(s.worktree, rel)) > MAX_FILE_BYTES))
  const others = await run(s, ["ls-files", "--others", "--exclude-standard", "-z"])
  if (others.code === 0)
    for (const rel of nul(others)) if (sizeOf(path.join(s.worktree, rel)) > MAX_FILE_BYTES) large.add(rel)
  const sorted = [...large].sort()
  writeIfChanged(largeFile, sorted.map((l) => l + "\n").join(""))
  const own = instance.project.vcsDir ? readText(path.join(instance.project.vcsDir, "info", "exclude")) : ""
  writeIfChanged(path.join(info, "exclude"), own + "\n" + sorted.map((rel) => "/" + escapeGlob(rel) + "\n").join(""))
  return sorted
}

function escapeGlob(rel: string) {
  return rel.replace(/[\\*?[\]]/g, "\\$&").replace(/ $/, "\\ ")
}

function sizeOf(file: string) {
  try {
    const st = fs.lstatSync(file)
    return st.isFile() ? st.size : 0
  } catch {
    return 0
  }
}

function readText(file: string) {
  try {
    return fs.readFileSync(file, "utf8")
  } catch {
    return ""
  }
}

function readLines(file: string) {
  return readText(file).split("\n").filter(Boolean)
}
