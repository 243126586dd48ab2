import type { PatchPart, StepFinishPart, StepStartPart } from "./schema"
import { db } from "./store"

// The rows diff and revert need, read without loading whole histories: only the parts that
// record file changes, and deletion of everything from a revert point on.

export type ChangePart = StepStartPart | StepFinishPart | PatchPart

const TYPES = "json_extract(p.data, '$.type') IN ('step-start', 'step-finish', 'patch')"

/** Change parts of the whole session in message, then part order. */
export function sessionChanges(sessionID: string): ChangePart[] {
  return db()
    .query<{ data: string }, [string]>(`SELECT p.data FROM part p WHERE p.session_id = ? AND ${TYPES} ORDER BY p.message_id, p.id`)
    .all(sessionID)
    .map((r) => JSON.parse(r.data))
}

/** Change parts of one message and, for a user message, of the replies to it. */
export function messageChanges(sessionID: string, messageID: string): ChangePart[] {
  return db()
    .query<{ data: string }, [string, string, string]>(
      `SELECT p.data FROM part p JOIN message m ON m.id = p.message_id
       WHERE p.session_id = ? AND (m.id = ? OR json_extract(m.data, '$.parentID') = ?) AND ${TYPES}
       ORDER BY p.message_id, p.id`,
    )
    .all(sessionID, messageID, messageID)
    .map((r) => JSON.parse(r.data))
}

/** Whether any step since `messageID` (inclusive) recorded a file change. */
export function changedSince(sessionID: string, messageID: string): boolean {
  return !!db()
    .query(`SELECT 1 FROM part p WHERE p.session_id = ? AND p.message_id >= ? AND json_extract(p.data, '$.type') = 'patch' LIMIT 1`)
    .get(sessionID, messageID)
}

/**
 * Deletes, in one transaction, the messages after `messageID` and either that message too
 * (no `partID`) or only its parts from `partID` on. Returns what was deleted.
 */
export function removeFrom(sessionID: string, messageID: string, partID?: string): { messages: string[]; parts: string[] } {
  const d = db()
  return d.transaction(() => {
    const messages = d
      .query<{ id: string }, [string, string]>(`SELECT id FROM message WHERE session_id = ? AND id ${partID ? ">" : ">="} ? ORDER BY id`)
      .all(sessionID, messageID)
      .map((r) => r.id)
    const parts = partID
      ? d
          .query<{ id: string }, [string, string]>("SELECT id FROM part WHERE message_id = ? AND id >= ? ORDER BY id")
          .all(messageID, partID)
          .map((r) => r.id)
      : []
    // Parts go with their messages (foreign key cascade).
    for (const id of messages) d.query("DELETE FROM message WHERE id = ?").run(id)
    for (const id of parts) d.query("DELETE FROM part WHERE id = ?").run(id)
    return { messages, parts }
  }).immediate()
}
