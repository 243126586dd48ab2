import { Elysia, type TSchema } from "elysia"
import { bindDefaultDirectory } from "./directory"
import { guard, type AuthConfig } from "./auth"
import { corsPlugin } from "./cors"
import { siteGuard } from "./site-guard"
import { mapError } from "./errors"
import { checkBody, keepAsSent, parseBody, refuseOversized } from "./body-guard"
import { buildSpec, docPage, docScript, DOC_PATHS } from "./doc"
import { publicPrefix } from "./base-path"
import { globalRoutes } from "./routes/global"
import { eventRoutes } from "./routes/event"
import { projectRoutes } from "./routes/project"
import { logRoutes } from "./routes/log"
import { lspRoutes } from "./routes/lsp"
import { formatRoutes } from "./routes/format"
import { mcpRoutes } from "./routes/mcp"
import { providerRoutes } from "./routes/provider"
import { permissionRoutes } from "./routes/permission"
import { fileRoutes } from "./routes/file"
import { sessionRoutes } from "./routes/session"
import { sessionMessageRoutes } from "./routes/session-message"
import { shareRoutes } from "./routes/share"
import { experimentalRoutes } from "./routes/experimental"
import { questionRoutes } from "./routes/question"
import { skillRoutes } from "./routes/skill"
import { locationRoutes } from "./routes/location"
import { v2ListRoutes } from "./routes/v2-lists"
import { v2ProviderRoutes } from "./routes/v2-provider"
import { vcsRoutes } from "./routes/vcs"
import { sessionRevertRoutes } from "./routes/session-revert"
import { sessionCommandRoutes } from "./routes/session-command"
import { configRoutes } from "./routes/config"
import { agentRoutes } from "./routes/agent"
import { commandRoutes } from "./routes/command"
import { pluginRoutes } from "./routes/plugin"
import { toolRoutes } from "./routes/tool"
import { tuiRoutes } from "./routes/tui"
import { ptyRoutes } from "./routes/pty"
import { webRoutes, pageFallback } from "./routes/web"
import { sessionEditRoutes } from "./routes/session-edit"
import { sessionListRoutes } from "./routes/session-list"
import { globalAdminRoutes } from "./routes/global-admin"
import { worktreeRoutes } from "./routes/worktree"
import { metricsRoutes } from "./routes/metrics"
import { noteRoute } from "./request-id"

export type AppOptions = {
  auth?: AuthConfig
  cors?: string[]
  /** The --hostname and mDNS name: Hosts a password-less server answers to (see site-guard.ts). */
  hostname?: string
  mdns?: { domain: string }
  /** The project a request without ?directory= or x-opencode-directory acts on (default: cwd). */
  directory?: string
}

// The routes opencode 1.18's web and desktop apps call, as one plugin: one more link in the
// chain above instead of four keeps the app's type within TypeScript's instantiation depth.
function appRoutes() {
  return new Elysia().use(sessionEditRoutes()).use(sessionListRoutes()).use(globalAdminRoutes()).use(worktreeRoutes()).use(metricsRoutes())
}

export function createApp(opts: AppOptions = {}) {
  let spec: unknown
  const guardSite = siteGuard({ password: !!opts.auth, hostname: opts.hostname, mdnsDomain: opts.mdns?.domain, cors: opts.cors ?? [] })
  const api = new Elysia()
    .use(globalRoutes())
    .use(eventRoutes())
    .use(projectRoutes())
    .use(logRoutes())
    .use(fileRoutes())
    .use(permissionRoutes())
    .use(lspRoutes())
    .use(formatRoutes())
    .use(mcpRoutes())
    .use(providerRoutes())
    .use(sessionRoutes())
    .use(sessionMessageRoutes())
    .use(shareRoutes())
    .use(experimentalRoutes())
    .use(questionRoutes())
    .use(skillRoutes())
    .use(locationRoutes())
    .use(v2ListRoutes())
    .use(v2ProviderRoutes())
    .use(vcsRoutes())
    .use(sessionRevertRoutes())
    .use(sessionCommandRoutes())
    .use(configRoutes())
    .use(agentRoutes())
    .use(commandRoutes())
    .use(toolRoutes())
    .use(pluginRoutes())
    .use(tuiRoutes())
    .use(ptyRoutes())
    .use(appRoutes())

  // Elysia's default finds the path by searching for "/" from the 12th character of the URL,
  // which Bun builds from the Host header: a 1-3 character Host shifted what the router saw
  // away from what the auth guard checked (GET /share/config, Host "a", was routed to /config).
  const app = new Elysia({ handler: { standardHostname: false } })
    // Before anything else: DNS-rebinding Hosts and cross-site writes never reach a route.
    .onRequest(({ request }) => {
      if (opts.directory) bindDefaultDirectory(request, opts.directory)
      return guardSite(request)
    })
    // Then CORS: it answers preflights (which carry no credentials) and gives a browser's
    // 401 its allow-origin header, so the page can read it. Then auth, as an app-level
    // onRequest, covers every request whatever registers the route: /doc, SSE, unknown paths.
    .use(corsPlugin(opts.cors ?? []))
    .onRequest(({ request }) => guard(opts.auth, request) ?? refuseOversized(request))
    // The matched route's pattern, for per-route metrics (see front.ts).
    .onTransform({ as: "global" }, ({ request, route }) => noteRoute(request, route))
    // Every body is parsed in one place, then checked before validation (see body-guard.ts).
    .onParse({ as: "global" }, ({ request, route }) => parseBody(request, !!bodySchema(request.method, route)))
    .onTransform({ as: "global" }, (ctx) => {
      ctx.body = checkBody(ctx.body, ctx.route, bodySchema(ctx.request.method, ctx.route))
      keepAsSent(ctx.request, ctx.body)
    })
    // Elysia sends bare booleans and numbers as text/plain; the SDK parses every body as JSON.
    .mapResponse({ as: "global" }, ({ responseValue }) => {
      const v = responseValue
      if (typeof v === "boolean" || typeof v === "number" || v === null)
        return new Response(JSON.stringify(v), { headers: { "content-type": "application/json" } })
    })
    // Async so Elysia awaits it: the page comes from a lazily loaded module.
    .onError(async ({ code, error, request }) => {
      // A browser opening / (or any path outside the API) gets the web app.
      const page = code === "NOT_FOUND" ? pageFallback(request, app.routes) : undefined
      if (page) return page
      const m = mapError(code, error, request)
      return new Response(JSON.stringify(m.body), { status: m.status, headers: { "content-type": "application/json" } })
    })
    .get(DOC_PATHS.page, ({ request }) => (wantsJson(request) ? specFor(request) : docPage(publicPrefix(request))), { detail: { hide: true } })
    .get(DOC_PATHS.json, ({ request }) => specFor(request), { detail: { hide: true } })
    .get(DOC_PATHS.script, docScript, { detail: { hide: true } })
    .use(api)
    .use(webRoutes())

  // Each route's body schema, known once every route is registered.
  let bodies: Map<string, TSchema> | undefined
  function bodySchema(method: string, route: string) {
    bodies ??= new Map(app.routes.filter((r) => r.hooks?.body).map((r) => [`${r.method} ${r.path}`, r.hooks.body as TSchema]))
    return bodies.get(`${method} ${route}`)
  }

  // Built on first request, once every route is registered.
  function getSpec() {
    spec ??= buildSpec(api, { auth: !!opts.auth })
    return spec
  }
  // Under a sub-path the explorer's "try it" calls must carry it too.
  function specFor(request: Request) {
    const prefix = publicPrefix(request)
    return prefix ? { ...(getSpec() as object), servers: [{ url: prefix }] } : getSpec()
  }
  return app
}

function wantsJson(request: Request) {
  const accept = request.headers.get("accept") ?? ""
  return accept.includes("application/json") && !accept.includes("text/html")
}

export type App = ReturnType<typeof createApp>
