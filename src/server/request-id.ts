// Every request gets an id: the caller's own `x-request-id` when it is a sane token (a proxy's,
// so its logs and ours line up), else a fresh one. It goes back as `x-request-id`, into every
// error body and into every log line about the request.

const SANE = /^[A-Za-z0-9._:-]{1,128}$/
const ids = new WeakMap<Request, string>()

export function assignRequestId(request: Request): string {
  const given = request.headers.get("x-request-id")
  const id = given && SANE.test(given) ? given : crypto.randomUUID()
  ids.set(request, id)
  return id
}

export function requestIdOf(request: Request): string | undefined {
  return ids.get(request)
}

const routes = new WeakMap<Request, string>()

/** The route pattern that answered (set by the app once routing is done), for metrics. */
export function noteRoute(request: Request, route: string) {
  routes.set(request, route)
}

export function routeOf(request: Request): string {
  return routes.get(request) ?? "unmatched"
}
