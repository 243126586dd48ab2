import { rawPath } from "../util/raw-path"

// Serving under a sub-path (`--base-path /oc`, or a proxy's X-Forwarded-Prefix). Routes never
// see the prefix: the request is re-addressed before routing. The links the server writes
// (/doc's page and spec, share URLs) put back the prefix the client reached us by.

const SEGMENTS = /^(\/[A-Za-z0-9._~-]+)+$/

/** "/oc/" → "/oc", "" or "/" → ""; undefined when it is not a plain path. */
export function normalizeBasePath(value: string): string | undefined {
  const v = value.trim().replace(/\/+$/, "")
  if (v === "") return ""
  const withSlash = v.startsWith("/") ? v : "/" + v
  return SEGMENTS.test(withSlash) ? withSlash : undefined
}

const prefixes = new WeakMap<Request, string>()
const originals = new WeakMap<Request, Request>()

/**
 * The request to route: without the base path when it starts with it. A request that does
 * not (a health check on the bare port) is served as it is.
 */
export function stripBasePath(base: string, request: Request): Request {
  const forwarded = normalizeBasePath(request.headers.get("x-forwarded-prefix")?.split(",")[0] ?? "")
  let routed = request
  if (base) {
    const raw = rawPath(request.url)
    if (raw === base || raw.startsWith(base + "/")) {
      const at = request.url.indexOf(raw)
      routed = new Request(request.url.slice(0, at) + (raw.slice(base.length) || "/") + request.url.slice(at + raw.length), request)
      originals.set(routed, request)
    }
  }
  const prefix = forwarded || base
  if (prefix) prefixes.set(routed, prefix)
  return routed
}

/** The sub-path the client reached this request by ("" when none), for links it will follow. */
export function publicPrefix(request: Request): string {
  return prefixes.get(request) ?? ""
}

/** Bun upgrades only the request object it handed to fetch, not a re-addressed copy. */
export function originalRequest(request: Request): Request {
  return originals.get(request) ?? request
}
