import type { Instance } from "../project/instance"
import { NotFoundError } from "../util/error"
import { ascending } from "../util/id"
import type { Message, Part, Session } from "./schema"
import * as Sessions from "./session"
import * as Store from "./message-store"

/**
 * A new session holding a copy of the history before `messageID` (the whole history when
 * omitted), with fresh ids. The source is left untouched.
 */
export function fork(instance: Instance, sessionID: string, messageID?: string): Session {
  const source = Sessions.get(sessionID)
  const history = Store.list(sessionID)
  if (messageID && !history.some((m) => m.info.id === messageID))
    throw new NotFoundError(`Message not found: ${messageID} (session ${sessionID})`)
  const target = Sessions.create(instance, { title: forkTitle(source.title) })
  const ids = new Map<string, string>()
  const now = Date.now()
  Store.batch(() => {
    for (const m of history) {
      if (messageID && m.info.id >= messageID) break
      const id = ascending("message")
      ids.set(m.info.id, id)
      const info = { ...m.info, id, sessionID: target.id } as Message
      if (info.role === "assistant") {
        info.parentID = ids.get(info.parentID) ?? info.parentID
        // A reply still streaming in the source is closed in the copy.
        if (!info.time.completed) {
          info.time = { ...info.time, completed: now }
          info.error ??= { name: "MessageAbortedError", data: { message: "Forked while this reply was running" } }
        }
      }
      const parts = m.parts.map((p) => ({ ...p, id: ascending("part"), sessionID: target.id, messageID: id }) as Part)
      Store.putWithParts(info, parts)
    }
  })
  // The copied replies' cost and tokens are the fork's too.
  return Sessions.save(target)
}

/** As opencode 1.18 names forks: "T (fork #1)", and a fork of that "T (fork #2)". */
export function forkTitle(title: string): string {
  const m = /^(.*) \(fork #(\d+)\)$/s.exec(title)
  return m ? `${m[1]} (fork #${Number(m[2]) + 1})` : `${title} (fork #1)`
}
