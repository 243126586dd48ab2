import fs from "node:fs/promises"
import path from "node:path"
import type { Instance } from "../project/instance"
import { git } from "../project/git"
import type { FileStatus } from "./schema"

// What `git diff` compares against in a repository without commits yet.
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
const COUNT_LINES_MAX_BYTES = 8 * 1024 * 1024

/**
 * Files that differ from HEAD (staged or not) with their added/removed line counts, then
 * untracked files (not ignored) as added. Paths are relative to the project directory.
 */
export async function fileStatus(instance: Instance): Promise<FileStatus[]> {
  if (instance.project.vcs !== "git") return []
  const cwd = instance.worktree
  const head = await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"])
  const base = head.code === 0 ? "HEAD" : EMPTY_TREE
  const q = ["-c", "core.quotepath=false"]
  const [numstat, names, untracked] = await Promise.all([
    git(cwd, [...q, "diff", "--numstat", "--no-renames", "-z", base]),
    git(cwd, [...q, "diff", "--name-status", "--no-renames", "-z", base]),
    git(cwd, [...q, "ls-files", "--others", "--exclude-standard", "-z"]),
  ])
  const rel = (p: string) => path.relative(instance.directory, path.join(cwd, p))

  const kinds = new Map<string, string>()
  const ns = names.stdout.split("\0")
  for (let i = 0; i + 1 < ns.length; i += 2) kinds.set(ns[i + 1], ns[i])

  const result: FileStatus[] = []
  for (const record of numstat.stdout.split("\0")) {
    const [added, removed, file] = record.split("\t")
    if (!file) continue
    const kind = kinds.get(file)
    result.push({
      path: rel(file),
      added: added === "-" ? 0 : Number(added),
      removed: removed === "-" ? 0 : Number(removed),
      status: kind === "D" ? "deleted" : kind === "A" ? "added" : "modified",
    })
  }
  for (const file of untracked.stdout.split("\0")) {
    if (!file) continue
    result.push({ path: rel(file), added: await countLines(path.join(cwd, file)), removed: 0, status: "added" })
  }
  return result
}

/** Lines as git counts them for a new file; 0 for binaries and files too large to bother. */
async function countLines(file: string): Promise<number> {
  try {
    const stat = await fs.stat(file)
    if (!stat.isFile() || stat.size > COUNT_LINES_MAX_BYTES) return 0
    const bytes = await fs.readFile(file)
    if (bytes.subarray(0, 8000).includes(0)) return 0
    let n = 0
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++
    return bytes.length && bytes[bytes.length - 1] !== 10 ? n + 1 : n
  } catch {
    return 0
  }
}
