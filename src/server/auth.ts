import { createHash, timingSafeEqual } from "node:crypto"
import { isPublicSharePath } from "../share/public-path"
import { admitsTicket } from "../pty/ticket"
import { setting } from "../global/settings"

export type AuthConfig = { username: string; password: string } | undefined

export function authFromEnv(env?: Record<string, string | undefined>): AuthConfig {
  const password = setting("OPENCODE_SERVER_PASSWORD", env)
  if (!password) return undefined
  return { username: setting("OPENCODE_SERVER_USERNAME", env) || "opencode", password }
}

// Hash both sides first so the comparison takes the same time whatever the lengths.
function same(a: string, b: string) {
  const ha = createHash("sha256").update(a).digest()
  const hb = createHash("sha256").update(b).digest()
  return timingSafeEqual(ha, hb)
}

/** Credentials from `Authorization: Basic`, or the `auth_token` query (EventSource cannot set headers). */
function credentials(request: Request): { user: string; pass: string } | undefined {
  const header = request.headers.get("authorization")
  let encoded: string | undefined
  if (header?.toLowerCase().startsWith("basic ")) encoded = header.slice(6).trim()
  else {
    const q = new URL(request.url).searchParams.get("auth_token")
    if (q) encoded = q
  }
  if (!encoded) return undefined
  let decoded: string
  try {
    decoded = Buffer.from(encoded, "base64").toString("utf8")
  } catch {
    return undefined
  }
  const i = decoded.indexOf(":")
  if (i < 0) return undefined
  return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) }
}

/** The URL with the auth_token query's value masked: it is the password, base64-encoded. */
export function loggableUrl(url: string): string {
  return url.includes("auth_token=") ? url.replace(/([?&]auth_token=)[^&#]*/g, "$1[redacted]") : url
}

function isPreflight(request: Request) {
  return request.method === "OPTIONS" && request.headers.has("origin") && request.headers.has("access-control-request-method")
}

/** Undefined when the request may pass; otherwise the 401 to send. */
export function guard(config: AuthConfig, request: Request): Response | undefined {
  if (!config || isPreflight(request)) return undefined
  // Exactly GET/HEAD /share/<token> and /share/<token>/data are public: a shared session's
  // unguessable token is its credential. Every other route still needs the password.
  if (isPublicSharePath(request)) return undefined
  const c = credentials(request)
  // Evaluate both comparisons every time: no early exit that leaks which part was wrong.
  const okUser = same(c?.user ?? "", config.username)
  const okPass = same(c?.pass ?? "", config.password)
  if (c && okUser && okPass) return undefined
  // A terminal WebSocket with a live ticket from pty.connectToken; the route spends the ticket.
  if (admitsTicket(request)) return undefined
  const challenge = 'Basic realm="opencode", charset="UTF-8"'
  // A person who dismissed the browser's password prompt reads this page, not JSON.
  if ((request.headers.get("accept") ?? "").includes("text/html") && request.method === "GET")
    return new Response(LOGIN_PAGE, {
      status: 401,
      headers: { "content-type": "text/html; charset=utf-8", "www-authenticate": challenge, "content-security-policy": "default-src 'none'", "cache-control": "no-store" },
    })
  return new Response(JSON.stringify({ name: "UnauthorizedError", data: { message: "Authentication required" } }), {
    status: 401,
    headers: { "content-type": "application/json", "www-authenticate": challenge },
  })
}

const LOGIN_PAGE =
  '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>opencode: sign in</title>' +
  "<p>This opencode server needs its password (OPENCODE_SERVER_PASSWORD; user name opencode unless OPENCODE_SERVER_USERNAME says otherwise).</p>" +
  "<p>Reload the page to be asked again.</p>\n"
