// Hash routing: the server only ever serves index.html for page navigations, so the app's
// location lives after "#": #/s/<sessionID>?dir=<directory>.

export type Route = { sessionID?: string; directory?: string }

export function readRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, "")
  const [path, query = ""] = hash.split("?")
  const params = new URLSearchParams(query)
  const m = /^s\/([^/]+)$/.exec(path)
  return { sessionID: m ? decodeURIComponent(m[1]) : undefined, directory: params.get("dir") ?? undefined }
}

export function writeRoute(route: Route) {
  const query = route.directory ? `?dir=${encodeURIComponent(route.directory)}` : ""
  const path = route.sessionID ? `s/${encodeURIComponent(route.sessionID)}` : ""
  // Nothing to say: keep the address clean (no bare "#/").
  const next = path || query ? `#/${path}${query}` : ""
  if (location.hash !== next) history.replaceState(null, "", next || location.pathname + location.search)
}
