// A loopback stand-in for identity providers (GitHub, auth.openai.com, auth.x.ai, GitLab, an
// MCP authorization server): each route answers from a script the test queues, or from a
// default handler; every request is recorded. The server under test reaches it through
// OPENCODE_BUN_AUTH_ORIGINS, exactly as it would reach the real host.

export type FakeRequest = { method: string; path: string; query: URLSearchParams; headers: Headers; body: any; at: number }
export type FakeAnswer = { status?: number; body?: unknown; headers?: Record<string, string> } | Response
type Handler = (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>

export type FakeIdP = {
  url: string
  origin: string
  /** Answers for `"POST /path"`, used once each, in order; then the route's default. */
  queue: (route: string, ...answers: (FakeAnswer | Handler)[]) => void
  /** The answer when nothing is queued. */
  on: (route: string, handler: Handler) => void
  requests: (route?: string) => FakeRequest[]
  stop: () => void
}

export function startFakeIdP(): FakeIdP {
  const queues = new Map<string, (FakeAnswer | Handler)[]>()
  const defaults = new Map<string, Handler>()
  const log: (FakeRequest & { route: string })[] = []
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url)
      const route = `${req.method} ${url.pathname}`
      const text = await req.text()
      let body: any = text
      const type = req.headers.get("content-type") ?? ""
      if (type.includes("json")) body = text ? JSON.parse(text) : undefined
      else if (type.includes("x-www-form-urlencoded")) body = Object.fromEntries(new URLSearchParams(text))
      const request: FakeRequest = { method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, body, at: Date.now() }
      log.push({ ...request, route })
      const next = queues.get(route)?.shift() ?? defaults.get(route)
      if (!next) return Response.json({ error: "not_found", error_description: `fake idp: no answer for ${route}` }, { status: 404 })
      const answer = typeof next === "function" ? await next(request) : next
      if (answer instanceof Response) return answer
      return Response.json(answer.body ?? {}, { status: answer.status ?? 200, headers: answer.headers })
    },
  })
  const origin = `http://127.0.0.1:${server.port}`
  return {
    url: origin,
    origin,
    queue: (route, ...answers) => queues.set(route, [...(queues.get(route) ?? []), ...answers]),
    on: (route, handler) => void defaults.set(route, handler),
    requests: (route) => log.filter((r) => !route || r.route === route),
    stop: () => void server.stop(true),
  }
}

/** A JWT-shaped token (unsigned) carrying `claims`, as identity providers issue them. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url")
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.sig`
}
