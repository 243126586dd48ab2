import type { Database } from "bun:sqlite"
import type { AssistantMessage, Part } from "./schema"
import { createLog } from "../util/log"

const log = createLog("session.recover")

const INTERRUPTED = "The server stopped before this reply was finished"

/**
 * Closes assistant messages a previous process left open (killed mid-stream): the message
 * gets an error and an end time, unfinished tool calls become errors, streaming text is
 * closed. What was already stored stays as it is.
 */
export function recoverInterrupted(d: Database, running: (sessionID: string) => boolean = () => false) {
  const open = d
    .query<{ id: string; session_id: string; data: string }, []>("SELECT id, session_id, data FROM message WHERE open = 1")
    .all()
    .filter((row) => !running(row.session_id))
  // A summary cut short leaves its session flagged as compacting; nothing would ever clear it.
  const compacting = d
    .query<{ id: string; data: string }, []>("SELECT id, data FROM session WHERE json_extract(data, '$.time.compacting') IS NOT NULL")
    .all()
    .filter((row) => !running(row.id))
  if (open.length === 0 && compacting.length === 0) return
  const now = Date.now()
  d.transaction(() => {
    for (const row of open) {
      const msg = JSON.parse(row.data) as AssistantMessage
      const parts = d.query<{ data: string }, [string]>("SELECT data FROM part WHERE message_id = ?").all(row.id)
      for (const p of parts) {
        const closed = closePart(JSON.parse(p.data) as Part, now, INTERRUPTED)
        if (closed) d.query("UPDATE part SET data = ? WHERE id = ?").run(JSON.stringify(closed), closed.id)
      }
      msg.time.completed = now
      msg.error ??= { name: "MessageAbortedError", data: { message: INTERRUPTED } }
      d.query("UPDATE message SET open = 0, data = ? WHERE id = ?").run(JSON.stringify(msg), row.id)
    }
    for (const row of compacting) {
      const session = JSON.parse(row.data)
      delete session.time.compacting
      d.query("UPDATE session SET data = ? WHERE id = ?").run(JSON.stringify(session), row.id)
    }
  }).immediate()
  log.info("closed interrupted work", { messages: open.length, compacting: compacting.length })
}

/** The part as it should end when its message ends early; undefined when it is already final. */
export function closePart(p: Part, now: number, error: string): Part | undefined {
  if ((p.type === "text" || p.type === "reasoning") && p.time && !p.time.end) return { ...p, time: { ...p.time, end: now } }
  if (p.type === "tool" && (p.state.status === "pending" || p.state.status === "running")) {
    const start = p.state.status === "running" ? p.state.time.start : now
    return { ...p, state: { status: "error", input: p.state.input, error, time: { start, end: now } } }
  }
  return undefined
}
