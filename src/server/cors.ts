import { Elysia } from "elysia"

const LOCAL = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i
const METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"

/** Localhost on any port, plus each configured origin; anything else gets no allow-origin. */
export function allowedOrigin(origin: string | null, extra: string[]) {
  if (!origin) return false
  if (LOCAL.test(origin)) return true
  return extra.some((o) => o.replace(/\/+$/, "") === origin)
}

const isPreflight = (request: Request) => request.method === "OPTIONS" && request.headers.has("access-control-request-method")

/**
 * CORS in one request hook. Written out rather than @elysiajs/cors: that plugin adds several
 * headers to every response, Origin or not, which cost about a tenth of the server's
 * throughput; here a request without Origin (every non-browser client) costs one lookup.
 */
export function corsPlugin(extra: string[]) {
  return new Elysia({ name: "cors", seed: extra }).onRequest(({ request, set }) => {
    const origin = request.headers.get("origin")
    if (!origin) return
    const allowed = allowedOrigin(origin, extra)
    if (isPreflight(request)) {
      // Answered before auth: a preflight carries no credentials by design.
      const headers: Record<string, string> = { vary: "Origin" }
      if (allowed) {
        headers["access-control-allow-origin"] = origin
        headers["access-control-allow-credentials"] = "true"
        headers["access-control-allow-methods"] = METHODS
        const asked = request.headers.get("access-control-request-headers")
        if (asked) headers["access-control-allow-headers"] = asked
        headers["access-control-max-age"] = "600"
      }
      return new Response(null, { status: 204, headers })
    }
    // Caches must not hand one origin's answer to another.
    set.headers.vary = "Origin"
    if (!allowed) return
    set.headers["access-control-allow-origin"] = origin
    set.headers["access-control-allow-credentials"] = "true"
  })
}
