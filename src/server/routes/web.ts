import { Elysia } from "elysia"
import { DOC_PATHS } from "../doc"

// The web app (src/web) is imported on the first page or asset request, never at start-up:
// a server only ever driven by the CLI or the SDK does not load it.
const web = () => import("../../web/serve")

/** The app's hashed files. Hidden from /doc: the app is not part of the API. */
export function webRoutes() {
  return new Elysia().get("/assets/*", async ({ request }) => (await web()).serveAsset(request), { detail: { hide: true } })
}

/**
 * For a request no route matched: the app's page when it is a browser navigation (GET, asks
 * for HTML) to a path outside the API, else undefined (the JSON 404 stays). A path under
 * any API route's first segment (/session/nope, /doc/x) or /api keeps its JSON 404, so a
 * client that mistypes a route is never handed a web page.
 */
export function pageFallback(request: Request, routes: { path: string }[]): Promise<Response> | undefined {
  if (request.method !== "GET" && request.method !== "HEAD") return undefined
  if (!(request.headers.get("accept") ?? "").includes("text/html")) return undefined
  const pathname = new URL(request.url).pathname
  const first = pathname.split("/")[1] ?? ""
  if (apiPrefixes(routes).has(first)) return undefined
  return web().then((w) => w.servePage(request))
}

// Worked out once per app, from its route table as it stands at the first unmatched request.
const prefixCache = new WeakMap<object, Set<string>>()
function apiPrefixes(routes: { path: string }[]) {
  let prefixes = prefixCache.get(routes)
  if (prefixes) return prefixes
  prefixes = new Set(["api", DOC_PATHS.page.slice(1)])
  for (const r of routes) {
    const first = r.path.split("/")[1]
    if (first && !first.startsWith(":") && first !== "*") prefixes.add(first)
  }
  prefixCache.set(routes, prefixes)
  return prefixes
}
