import { Bus } from "../bus"
import type { Session, SessionStatus } from "./schema"
import { SessionStatusEvent, SessionIdle } from "./events"

// In memory: only sessions that are not idle have an entry, as in opencode.
type Entry = { projectID: string; directory: string; status: SessionStatus }
const entries = new Map<string, Entry>()

export function set(session: Pick<Session, "id" | "projectID" | "directory">, status: SessionStatus) {
  if (status.type === "idle") {
    if (!entries.delete(session.id)) return
    Bus.publish(session.directory, SessionStatusEvent, { sessionID: session.id, status })
    Bus.publish(session.directory, SessionIdle, { sessionID: session.id })
    return
  }
  entries.set(session.id, { projectID: session.projectID, directory: session.directory, status })
  Bus.publish(session.directory, SessionStatusEvent, { sessionID: session.id, status })
}

export function get(sessionID: string): SessionStatus {
  return entries.get(sessionID)?.status ?? { type: "idle" }
}

/** Busy and retrying sessions of a project (of one directory for the "global" project). */
export function list(scope: { projectID: string; directory: string }): Record<string, SessionStatus> {
  const out: Record<string, SessionStatus> = {}
  for (const [id, e] of entries) {
    if (e.projectID !== scope.projectID) continue
    if (scope.projectID === "global" && e.directory !== scope.directory) continue
    out[id] = e.status
  }
  return out
}
