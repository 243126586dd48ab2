import { Bus } from "../bus"
import { NotFoundError } from "../util/error"
import type { Message, MessageWithParts, Part } from "./schema"
import { MessageUpdated, MessagePartUpdated, MessagePartRemoved } from "./events"
import * as Store from "./message-store"
import * as Sessions from "./session"

// Store first, then announce: a client reacting to an event can always read what it names.

export function updateMessage(directory: string, info: Message) {
  Store.putMessage(info)
  Bus.publish(directory, MessageUpdated, { info })
}

export function updatePart(directory: string, part: Part, delta?: string) {
  Store.putPart(part)
  Bus.publish(directory, MessagePartUpdated, delta === undefined ? { part } : { part, delta })
}

export function removePart(directory: string, part: Part) {
  Store.removePart(part.id)
  Bus.publish(directory, MessagePartRemoved, { sessionID: part.sessionID, messageID: part.messageID, partID: part.id })
}

/** A message and its parts land in one transaction, then each is announced. */
export function createWithParts(directory: string, info: Message, parts: Part[]) {
  Store.putWithParts(info, parts)
  Bus.publish(directory, MessageUpdated, { info })
  for (const part of parts) Bus.publish(directory, MessagePartUpdated, { part })
}

export function get(sessionID: string, messageID: string): MessageWithParts {
  Sessions.get(sessionID)
  const m = Store.getMessage(sessionID, messageID)
  if (!m) throw new NotFoundError(`Message not found: ${messageID} (session ${sessionID})`)
  return m
}

/** The session's messages (newest `limit`) as JSON text in pieces, built from the stored rows. */
export function listJSON(sessionID: string, limit?: number): Iterable<string> {
  Sessions.get(sessionID)
  return Store.listJSON(sessionID, limit)
}

export function list(sessionID: string, limit?: number): MessageWithParts[] {
  return Store.list(sessionID, limit)
}
