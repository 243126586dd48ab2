import fs from "node:fs"
import { git } from "./git"

export async function branch(worktree: string): Promise<string | undefined> {
  const r = await git(worktree, ["rev-parse", "--abbrev-ref", "HEAD"])
  if (r.code !== 0) {
    // A fresh repository with no commit yet still has a branch name in HEAD.
    const sym = await git(worktree, ["symbolic-ref", "--short", "HEAD"])
    return sym.code === 0 ? sym.stdout.trim() : undefined
  }
  return r.stdout.trim()
}

/**
 * Calls onChange(branch) when HEAD moves to another branch. Watching the git dir (not HEAD
 * itself) survives git replacing HEAD through a rename. Returns a stop function.
 */
export function watchBranch(vcsDir: string, worktree: string, initial: string | undefined, onChange: (b: string | undefined) => void) {
  let current = initial
  let timer: ReturnType<typeof setTimeout> | undefined
  let watcher: fs.FSWatcher | undefined
  try {
    watcher = fs.watch(vcsDir, { persistent: false }, (_event, file) => {
      if (file && file !== "HEAD") return
      clearTimeout(timer)
      timer = setTimeout(async () => {
        const next = await branch(worktree)
        if (next !== current) {
          current = next
          onChange(next)
        }
      }, 50)
    })
    watcher.on("error", () => {})
  } catch {
    // No watch support (or the dir vanished): the branch is still read on every /vcs call.
  }
  return () => {
    clearTimeout(timer)
    watcher?.close()
  }
}
