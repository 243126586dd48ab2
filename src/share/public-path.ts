import { rawPath } from "../util/raw-path"

// The only routes readable without the server's API credentials: a shared session's page
// and its JSON. Their unguessable token is the credential.
const PUBLIC_SHARE_PATH = /^\/share\/[A-Za-z0-9_-]{1,128}(\/data)?$/

/**
 * Matches the path exactly as the router cuts it out of `request.url`: from the first "/"
 * after the scheme up to the first "?", nothing decoded or resolved (the WHATWG `pathname`
 * would also resolve `%2e%2e` and drop a `#...`). A path the router could read differently
 * never passes as a share path. The app sets Elysia's `standardHostname: false` so that the
 * router, too, starts right after the scheme, whatever the length of the Host header.
 */
export function isPublicSharePath(request: Request): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false
  return PUBLIC_SHARE_PATH.test(rawPath(request.url))
}
