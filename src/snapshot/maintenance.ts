import fs from "node:fs"
import path from "node:path"
import { createLog } from "../util/log"
import { run, type Shadow } from "./shadow"

const log = createLog("snapshot")
const DAY = 24 * 60 * 60 * 1000

/**
 * Snapshots are trees no ref points to, so without pruning the shadow repository only grows.
 * Once a day, objects older than a week are packed away; a session older than that can no
 * longer revert its files (the same horizon opencode keeps).
 */
export function dueForGc(s: Shadow): boolean {
  const stamp = path.join(s.gitDir, "last-gc")
  let last = 0
  try {
    last = fs.statSync(stamp).mtimeMs
  } catch {
    fs.writeFileSync(stamp, "")
    return false
  }
  return Date.now() - last > DAY
}

export async function gc(s: Shadow) {
  fs.writeFileSync(path.join(s.gitDir, "last-gc"), "")
  const r = await run(s, ["gc", "--prune=7.days.ago", "--quiet"])
  if (r.code !== 0) log.warn("gc failed", { gitDir: s.gitDir, stderr: r.stderr.trim().slice(0, 500) })
}
