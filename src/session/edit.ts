import { Bus } from "../bus"
import { BadRequestError, NotFoundError } from "../util/error"
import type { Part } from "./schema"
import { MessageRemoved } from "./events"
import * as Message from "./message"
import * as Store from "./message-store"
import * as Sessions from "./session"
import * as Runner from "./prompt/runner"
import { SessionBusyError } from "./session-instance"

// Editing a stored history by hand (the web app's "delete message" and part edits). Files the
// deleted turns changed stay as they are: that is what revert is for. A running session is
// left alone, since its loop holds the history in memory and would write over the edit.

function idle(sessionID: string) {
  const session = Sessions.get(sessionID)
  if (Runner.isBusy(sessionID)) throw new SessionBusyError(sessionID)
  return session
}

export function deleteMessage(sessionID: string, messageID: string): true {
  const session = idle(sessionID)
  Message.get(sessionID, messageID)
  Store.removeMessage(messageID)
  Bus.publish(session.directory, MessageRemoved, { sessionID, messageID })
  // The totals no longer count a deleted reply.
  Sessions.save(Sessions.get(sessionID))
  return true
}

function findPart(sessionID: string, messageID: string, partID: string): Part {
  const part = Message.get(sessionID, messageID).parts.find((p) => p.id === partID)
  if (!part) throw new NotFoundError(`Part not found: ${partID} (message ${messageID}, session ${sessionID})`)
  return part
}

export function deletePart(sessionID: string, messageID: string, partID: string): true {
  const session = idle(sessionID)
  Message.removePart(session.directory, findPart(sessionID, messageID, partID))
  return true
}

/** Replaces a part with the one given, which must keep its ids and its type. */
export function updatePart(sessionID: string, messageID: string, partID: string, part: Part): Part {
  const session = idle(sessionID)
  const current = findPart(sessionID, messageID, partID)
  const moved = (["id", "messageID", "sessionID"] as const).filter((k) => part[k] !== current[k])
  if (moved.length) throw new BadRequestError(`Invalid body field '${moved[0]}': a part keeps its ${moved.join(", ")} (expected ${current[moved[0]]})`, "Body")
  if (part.type !== current.type) throw new BadRequestError(`Invalid body field 'type': a ${current.type} part cannot become a ${part.type} part`, "Body")
  Message.updatePart(session.directory, part)
  return part
}
