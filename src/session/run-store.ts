import type { Database } from "bun:sqlite"
import { database } from "../storage/db"
import { SELF } from "../storage/lease"
import { createLog } from "../util/log"

const log = createLog("session.run-store")

// Which process runs a prompt in a session, stored beside the session: another server on the
// same data directory must leave a live process's run alone when it recovers crashed ones.

/** Notes that this process runs the session now. */
export function claimRun(sessionID: string) {
  try {
    database().query("INSERT OR REPLACE INTO session_run (session_id, owner) VALUES (?, ?)").run(sessionID, SELF)
  } catch (e) {
    // The run goes on; only another process's recovery would not know it is ours.
    log.warn("could not note the run", { sessionID, error: e })
  }
}

export function releaseRun(sessionID: string) {
  try {
    database().query("DELETE FROM session_run WHERE session_id = ? AND owner = ?").run(sessionID, SELF)
  } catch (e) {
    log.warn("could not clear the run", { sessionID, error: e })
  }
}

/** Sessions a live process (in `live`) is running a prompt in. */
export function heldRuns(d: Database, live: Set<string>): Set<string> {
  const rows = d.query<{ session_id: string; owner: string }, []>("SELECT session_id, owner FROM session_run").all()
  return new Set(rows.filter((r) => live.has(r.owner)).map((r) => r.session_id))
}

/** Whether some run's owner is gone: then there is crashed work to close. */
export function ownerlessRuns(d: Database, live: Set<string>): boolean {
  const owners = d.query<{ owner: string }, []>("SELECT DISTINCT owner FROM session_run").all()
  return owners.some((r) => !live.has(r.owner))
}
