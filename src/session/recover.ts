import type { AssistantMessage, Part } from "./schema"
import { createLog } from "../util/log"
import * as Messages from "./message-store"
import * as Sessions from "./store"

const log = createLog("session.recover")

const INTERRUPTED = "The server stopped before this reply was finished"

/**
 * Closes assistant messages a previous process left open (killed mid-stream): the message
 * gets an error and an end time, unfinished tool calls become errors, streaming text is
 * closed. What was already stored stays as it is.
 */
export function recoverInterrupted(running: (sessionID: string) => boolean = () => false) {
  const open = Messages.openRows().filter((row) => !running(row.sessionID))
  // A summary cut short leaves its session flagged as compacting; nothing would ever clear it.
  const compacting = Sessions.compactingRows().filter((row) => !running(row.id))
  if (open.length === 0 && compacting.length === 0) return
  const now = Date.now()
  Messages.batch(() => {
    for (const row of open) {
      const msg = JSON.parse(row.data) as AssistantMessage
      for (const data of Messages.partRows(row.id)) {
        const closed = closePart(JSON.parse(data) as Part, now, INTERRUPTED)
        if (closed) Messages.putPart(closed)
      }
      msg.time.completed = now
      msg.error ??= { name: "MessageAbortedError", data: { message: INTERRUPTED } }
      // Completed, so it is stored as no longer open.
      Messages.putMessage(msg)
    }
    for (const row of compacting) {
      const session = JSON.parse(row.data)
      delete session.time.compacting
      Sessions.writeData(row.id, JSON.stringify(session))
    }
  })
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
