import os from "node:os"
import { allowedOrigin } from "./cors"

/**
 * Browsers are the one client that can be made to call us against the user's will, and CORS
 * only stops a page from *reading* answers, not from causing effects. Two holes stay open:
 *
 * - DNS rebinding: a page on evil.com re-points its name at 127.0.0.1; from then on its calls
 *   are same-origin to the browser and, without a password, run shell commands on this
 *   machine. The Host header still says "evil.com", so without a password only Hosts that
 *   cannot be rebound are served: loopback names, IP literals (an IP-literal page was served
 *   by that address, i.e. by us), the --hostname we bound, the mDNS name, this machine's name,
 *   and the hosts of --cors origins (the escape hatch for a reverse proxy). With a password,
 *   a rebinding page has no credentials, and a proxy may use any name.
 * - Cross-site requests: a form post, a simple fetch or a WebSocket handshake from another
 *   site reaches us with the browser's cached basic-auth credentials. A state-changing request
 *   or an upgrade whose Origin is neither allowed (see cors.ts) nor our own is refused.
 *
 * Non-browser clients (the SDK, the opencode CLI) send no Origin and Host "127.0.0.1:port".
 */
export type SiteGuardOptions = { password: boolean; hostname?: string; mdnsDomain?: string; cors: string[] }

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"])
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

export function siteGuard(opts: SiteGuardOptions): (request: Request) => Response | undefined {
  const names = trustedNames(opts)
  // Clients send the same Host again and again: judge each spelling once.
  const verdicts = new Map<string, boolean>()
  const trusted = (host: string) => {
    let ok = verdicts.get(host)
    if (ok === undefined) {
      if (verdicts.size >= 256) verdicts.clear()
      verdicts.set(host, (ok = trustedHost(hostName(host), names)))
    }
    return ok
  }
  return (request) => {
    const host = request.headers.get("host")
    if (!opts.password && host !== null && !trusted(host))
      return forbidden(`Unrecognized Host header "${host}": a server without OPENCODE_SERVER_PASSWORD answers only to localhost, IP addresses and its own names. Set a password, or allow the name with --cors http://${host}.`)
    const origin = request.headers.get("origin")
    if (origin === null) return undefined
    const upgrade = request.headers.get("upgrade") !== null
    if (SAFE_METHODS.has(request.method) && !upgrade) return undefined
    if (allowedOrigin(origin, opts.cors) || sameOrigin(origin, host)) return undefined
    return forbidden(`Cross-site request refused: Origin "${origin}" is not allowed to call this server (allow it with --cors ${origin}).`)
  }
}

function trustedNames(opts: SiteGuardOptions): Set<string> {
  const names = new Set<string>()
  const add = (n: string | undefined) => n && names.add(n.toLowerCase().replace(/\.+$/, ""))
  add(opts.hostname)
  add(opts.mdnsDomain)
  const machine = os.hostname()
  add(machine)
  add(`${machine}.local`)
  for (const o of opts.cors) {
    try {
      add(new URL(o).hostname)
    } catch {}
  }
  return names
}

/** "Example.com:80" -> "example.com"; "[::1]:4096" -> "[::1]". */
function hostName(host: string): string {
  const h = host.trim().toLowerCase()
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1)
  return h.replace(/:\d*$/, "").replace(/\.+$/, "")
}

function trustedHost(name: string, names: Set<string>): boolean {
  if (name === "localhost" || name.endsWith(".localhost")) return true
  if (IPV4.test(name) || (name.startsWith("[") && name.endsWith("]"))) return true
  return names.has(name)
}

function sameOrigin(origin: string, host: string | null): boolean {
  if (!host) return false
  try {
    return new URL(origin).host === host.toLowerCase()
  } catch {
    return false
  }
}

function forbidden(message: string) {
  return new Response(JSON.stringify({ name: "ForbiddenError", data: { message } }), { status: 403, headers: { "content-type": "application/json" } })
}
