import * as Sessions from "../session/session"
import type { Session } from "../session/schema"
import { tx } from "../storage/db"
import * as Store from "./store"
import { mintToken, tokenHash, TOKEN_PATTERN } from "./token"

/**
 * Publishes the session as a read-only page served by this server at
 * `<origin>/share/<token>`. Sharing again keeps the same token (links already handed out
 * keep working) and rewrites the URL for the asking client's origin.
 */
export function share(sessionID: string, origin: string): Session {
  return tx(() => {
    const session = Sessions.get(sessionID)
    let token = currentToken(session)
    if (!token) {
      token = mintToken()
      Store.put(session.id, tokenHash(token))
    }
    session.share = { url: `${origin}/share/${token}` }
    return Sessions.save(session)
  })
}

/** Removes the link: the page answers 404 from now on. Unsharing an unshared session is a no-op. */
export function unshare(sessionID: string): Session {
  return tx(() => {
    const session = Sessions.get(sessionID)
    Store.remove(session.id)
    if (!session.share) return session
    delete session.share
    return Sessions.save(session)
  })
}

// The token lives in the session's own share URL; it counts only while its hash is stored.
function currentToken(session: Session): string | undefined {
  const token = session.share?.url.split("/").at(-1)
  if (!token || !TOKEN_PATTERN.test(token)) return undefined
  const stored = Store.hashOf(session.id)
  return stored && stored === tokenHash(token) ? token : undefined
}
