import { database } from "../storage/db"
import { everyBeat, forgetGone, liveProcesses } from "../storage/lease"
import { reapOrphans } from "../tool/process-registry"
import { isBusy } from "./prompt/runner"
import { recoverInterrupted } from "./recover"
import { heldRuns, ownerlessRuns } from "./run-store"

// Crash recovery for sessions, run by startServer once the database is open (not hidden in
// the first query), then on a heartbeat whenever a process that was running prompts on this
// data directory is gone. A session this process or another live one is running is left alone.

let watching = false

export function recoverSessions() {
  const d = database()
  const live = liveProcesses(d)
  const held = heldRuns(d, live)
  recoverInterrupted((id) => isBusy(id) || held.has(id))
  forgetGone(d, live)
  // The commands those replies were running are ours to end too.
  reapOrphans()
}

/** Recovers now, and from then on after every heartbeat that finds a run whose owner is gone. */
export function startRecovery() {
  recoverSessions()
  if (watching) return
  watching = true
  everyBeat((d) => {
    if (ownerlessRuns(d, liveProcesses(d))) recoverSessions()
  })
}
