import { rawPath } from "../util/raw-path"
import { randomBytes } from "node:crypto"

// A browser cannot put an Authorization header on a WebSocket, and a password in the URL
// ends up in logs. So an authenticated client asks for a ticket (POST .../connect-token)
// and opens the socket with `?ticket=`: good for one connection to one terminal of one
// directory, for a minute.
const TTL_MS = 60_000
const CAPACITY = 10_000
const CONNECT_PATH = /^\/pty\/([^/]+)\/connect$/

type Scope = { ptyID: string; directory: string }
const tickets = new Map<string, Scope & { expires: number }>()

export const TICKET_TTL_SECONDS = TTL_MS / 1000

export function issueTicket(scope: Scope): { ticket: string; expires_in: number } {
  const now = Date.now()
  if (tickets.size >= CAPACITY) {
    for (const [k, v] of tickets) if (v.expires <= now) tickets.delete(k)
    // Still full: the oldest go first (Map keeps insertion order).
    for (const k of tickets.keys()) {
      if (tickets.size < CAPACITY) break
      tickets.delete(k)
    }
  }
  const ticket = randomBytes(32).toString("base64url")
  tickets.set(ticket, { ...scope, expires: now + TTL_MS })
  return { ticket, expires_in: TICKET_TTL_SECONDS }
}

function live(ticket: string) {
  const t = tickets.get(ticket)
  if (!t) return undefined
  if (t.expires > Date.now()) return t
  tickets.delete(ticket)
  return undefined
}

/**
 * For the auth guard: a WebSocket upgrade of /pty/<id>/connect carrying a live ticket for that
 * terminal may skip the password. The connect route then consumes the ticket, checking the
 * directory too, before anything is attached.
 */
export function admitsTicket(request: Request): boolean {
  if (request.method !== "GET" || !request.url.includes("ticket=")) return false
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return false
  // The raw path, as the router sees it: a normalised pathname could name another route.
  const id = CONNECT_PATH.exec(rawPath(request.url))?.[1]
  const ticket = new URL(request.url).searchParams.get("ticket")
  if (!id || !ticket) return false
  return live(ticket)?.ptyID === id
}

/** True (and the ticket is spent) when it is live and was issued for exactly this scope. */
export function consumeTicket(ticket: string, scope: Scope): boolean {
  const t = live(ticket)
  if (!t || t.ptyID !== scope.ptyID || t.directory !== scope.directory) return false
  tickets.delete(ticket)
  return true
}
