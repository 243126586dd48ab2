import fs from "node:fs"
import path from "node:path"
import { Paths, ensureDir } from "../global/paths"
import { createLog } from "../util/log"
import { startTime } from "../util/proc-start"

const log = createLog("process-registry")

// Commands run in process groups of their own, which an abort or a shutdown kills. A server
// killed outright (kill -9, OOM, power cut) cannot: its commands would run on, unowned. Each
// group is noted in a file under the data directory while it runs, so the next server on that
// directory can end the ones whose server is gone. Linux only: it relies on /proc to tell a
// process from a later one that got the same pid.

type Entry = { pid: number; start: string; owner: number; ownerStart: string }

const enabled = process.platform === "linux"
const folder = () => path.join(Paths.data, "processes")

/** Notes a running process group (its leader's pid); the returned function forgets it. */
export function track(pid: number): () => void {
  if (!enabled) return () => {}
  const file = path.join(folder(), String(pid))
  try {
    const start = startTime(pid)
    const self = startTime(process.pid)
    if (!start || !self) return () => {}
    ensureDir(folder())
    fs.writeFileSync(file, JSON.stringify({ pid, start, owner: process.pid, ownerStart: self } satisfies Entry))
  } catch (e) {
    log.debug("could not note a process group", { pid, error: e })
    return () => {}
  }
  return () => fs.rmSync(file, { force: true })
}

/** Kills process groups noted by servers that no longer run. Returns how many it killed. */
export function reapOrphans(): number {
  if (!enabled) return 0
  let names: string[]
  try {
    names = fs.readdirSync(folder())
  } catch {
    return 0
  }
  let killed = 0
  for (const name of names) {
    const file = path.join(folder(), name)
    let entry: Entry
    try {
      entry = JSON.parse(fs.readFileSync(file, "utf8"))
    } catch {
      fs.rmSync(file, { force: true })
      continue
    }
    // Another server still running on this data directory owns it.
    if (startTime(entry.owner) === entry.ownerStart) continue
    const leader = startTime(entry.pid)
    // A live process with that pid but another start time is someone else's: the group is gone.
    if (leader === undefined || leader === entry.start) {
      try {
        process.kill(-entry.pid, "SIGKILL")
        killed++
      } catch {}
    }
    fs.rmSync(file, { force: true })
  }
  if (killed) log.info("killed commands left running by a stopped server", { count: killed })
  return killed
}
