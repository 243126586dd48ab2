import * as Sessions from "../session/session"
import * as Messages from "../session/message"
import type { MessageWithParts, Session } from "../session/schema"
import * as Store from "./store"
import { tokenHash, TOKEN_PATTERN } from "./token"

export type SharedConversation = { session: Session; messages: MessageWithParts[] }

/** The conversation behind a share token, as its clients show it now; undefined for any unknown token. */
export function resolveShare(token: string): SharedConversation | undefined {
  if (!TOKEN_PATTERN.test(token)) return undefined
  const sessionID = Store.sessionOf(tokenHash(token))
  if (!sessionID) return undefined
  let session: Session
  try {
    session = Sessions.get(sessionID)
  } catch {
    return undefined
  }
  return { session, messages: visibleMessages(session, Messages.list(sessionID)) }
}

// A reverted session hides what comes after the revert point until it is unreverted, and so
// does its page: the reverted message itself, or only its parts from `partID` on.
export function visibleMessages(session: Session, messages: MessageWithParts[]): MessageWithParts[] {
  const revert = session.revert
  if (!revert) return messages
  const out: MessageWithParts[] = []
  for (const m of messages) {
    if (m.info.id < revert.messageID) out.push(m)
    else if (m.info.id === revert.messageID && revert.partID) {
      const parts = m.parts.filter((p) => p.id < revert.partID!)
      if (parts.length) out.push({ info: m.info, parts })
    }
  }
  return out
}
