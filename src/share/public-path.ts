// The only routes readable without the server's API credentials: a shared session's page
// and its JSON. Their unguessable token is the credential.
const PUBLIC_SHARE_PATH = /^\/share\/[A-Za-z0-9_-]{1,128}(\/data)?$/

/**
 * Matches the path exactly as the router receives it in `request.url` (not the WHATWG
 * `pathname`, which would also resolve `%2e%2e`): a path the router reads differently
 * never passes as a share path.
 */
export function isPublicSharePath(request: Request): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false
  return PUBLIC_SHARE_PATH.test(rawPath(request.url))
}

function rawPath(url: string): string {
  const scheme = url.indexOf("://")
  const start = url.indexOf("/", scheme < 0 ? 0 : scheme + 3)
  if (start < 0) return "/"
  const end = url.slice(start).search(/[?#]/)
  return end < 0 ? url.slice(start) : url.slice(start, start + end)
}
