import type { Database } from "bun:sqlite"
import { startTime } from "../util/proc-start"
import { createLog } from "../util/log"

const log = createLog("storage.lease")

// Each server process on a data directory keeps a row in `process` fresh. Another process is
// taken for gone when its row has not been touched for STALE_MS, or at once when its pid no
// longer names the process that wrote the row (kill -9, a crash: /proc tells, on Linux).
const HEARTBEAT_MS = 2_000
const STALE_MS = 15_000

const ownStart = startTime(process.pid)
/** This process's name in `process.id` and `session_run.owner`. */
export const SELF = `${process.pid}-${ownStart ?? Date.now().toString(36)}`

let timer: ReturnType<typeof setInterval> | undefined
const onBeat: Array<(d: Database) => void> = []

/** Runs fn on every heartbeat while the database is open (a check for what gone processes left). */
export function everyBeat(fn: (d: Database) => void) {
  onBeat.push(fn)
}

export function startLease(d: Database) {
  const beat = () => d.query("INSERT OR REPLACE INTO process (id, pid, started, heartbeat) VALUES (?, ?, ?, ?)").run(SELF, process.pid, ownStart ?? null, Date.now())
  beat()
  clearInterval(timer)
  timer = setInterval(() => {
    try {
      beat()
      for (const fn of onBeat) fn(d)
    } catch (e) {
      // A busy or read-only database: the next beat tries again.
      log.warn("heartbeat failed", { error: e })
    }
  }, HEARTBEAT_MS)
  timer.unref()
}

export function endLease(d: Database) {
  clearInterval(timer)
  timer = undefined
  try {
    d.query("DELETE FROM session_run WHERE owner = ?").run(SELF)
    d.query("DELETE FROM process WHERE id = ?").run(SELF)
  } catch (e) {
    log.warn("could not end the lease", { error: e })
  }
}

type Row = { id: string; pid: number; started: string | null; heartbeat: number }

/** The processes on this database that are still running, this one included. */
export function liveProcesses(d: Database): Set<string> {
  const now = Date.now()
  const live = new Set([SELF])
  for (const r of d.query<Row, []>("SELECT id, pid, started, heartbeat FROM process").all())
    if (r.id !== SELF && now - r.heartbeat < STALE_MS && alive(r)) live.add(r.id)
  return live
}

function alive(r: Row): boolean {
  if (r.started !== null && ownStart !== undefined) return startTime(r.pid) === r.started
  try {
    process.kill(r.pid, 0)
    return true
  } catch (e: any) {
    return e?.code === "EPERM"
  }
}

/** Forgets the rows of processes that are gone; their runs' rows go with them. */
export function forgetGone(d: Database, live: Set<string>) {
  const ids = [...live]
  const marks = ids.map(() => "?").join(", ")
  d.query(`DELETE FROM session_run WHERE owner NOT IN (${marks})`).run(...ids)
  d.query(`DELETE FROM process WHERE id NOT IN (${marks})`).run(...ids)
}
