import { INDEX } from "./site"

// Hosts as a browser sends them: a name or IPv4 address, or a bracketed IPv6 one, and a port.
const HOST = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d+)?$/i

/**
 * The page may load and call only this server. No CDN, font service or analytics can be
 * reached even if a dependency tried. Styles: the app's own stylesheet, plus style
 * attributes (markup from highlighters and virtualised lists sets them) but never injected
 * <style> elements. `ws://host` is named as well as 'self' because Safari before 15.4 does
 * not count a WebSocket to the page's own host as 'self' (the PTY terminal needs it).
 */
export function contentSecurityPolicy(host: string | null): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : ""
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "media-src 'self' blob:",
    `connect-src 'self'${sockets}`,
    "manifest-src 'self'",
    "worker-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ")
}

/** index.html may change with every release; everything else has its content hash in its name. */
export function cacheControl(path: string) {
  return path === INDEX ? "no-cache" : "public, max-age=31536000, immutable"
}

export type Encoding = "br" | "gzip" | "identity"

/** The best encoding the client accepts among those we hold (q=0 means refused). */
export function chooseEncoding(acceptEncoding: string | null, have: { br: boolean; gzip: boolean }): Encoding {
  if (!acceptEncoding) return "identity"
  const q = new Map<string, number>()
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";")
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith("q="))
    const value = qp ? Number(qp.slice(2)) : 1
    if (name) q.set(name.trim(), Number.isFinite(value) ? value : 0)
  }
  const accepts = (name: string) => (q.get(name) ?? q.get("*") ?? 0) > 0
  if (have.br && accepts("br")) return "br"
  if (have.gzip && accepts("gzip")) return "gzip"
  return "identity"
}
