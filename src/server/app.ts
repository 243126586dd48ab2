import { Elysia } from "elysia"
import { guard, type AuthConfig } from "./auth"
import { corsPlugin } from "./cors"
import { mapError } from "./errors"
import { buildSpec, docPage, docScript, DOC_PATHS } from "./doc"
import { globalRoutes } from "./routes/global"
import { eventRoutes } from "./routes/event"
import { projectRoutes } from "./routes/project"
import { logRoutes } from "./routes/log"

export type AppOptions = {
  auth?: AuthConfig
  cors?: string[]
}

export function createApp(opts: AppOptions = {}) {
  let spec: unknown
  const api = new Elysia()
    .use(globalRoutes())
    .use(eventRoutes())
    .use(projectRoutes())
    .use(logRoutes())

  const app = new Elysia()
    // Auth runs first for every request, documented routes or not, so /doc, SSE and unknown
    // paths are all covered whatever plugin registers them.
    .onRequest(({ request }) => guard(opts.auth, request))
    .use(corsPlugin(opts.cors ?? []))
    // Elysia sends bare booleans and numbers as text/plain; the SDK parses every body as JSON.
    .mapResponse({ as: "global" }, ({ responseValue }) => {
      const v = responseValue
      if (typeof v === "boolean" || typeof v === "number" || v === null)
        return new Response(JSON.stringify(v), { headers: { "content-type": "application/json" } })
    })
    .onError(({ code, error, request }) => {
      const m = mapError(code, error, request)
      return new Response(JSON.stringify(m.body), { status: m.status, headers: { "content-type": "application/json" } })
    })
    .get(DOC_PATHS.page, ({ request }) => (wantsJson(request) ? getSpec() : docPage()), { detail: { hide: true } })
    .get(DOC_PATHS.json, () => getSpec(), { detail: { hide: true } })
    .get(DOC_PATHS.script, docScript, { detail: { hide: true } })
    .use(api)

  // Built on first request, once every route is registered.
  function getSpec() {
    spec ??= buildSpec(api, { auth: !!opts.auth })
    return spec
  }
  return app
}

function wantsJson(request: Request) {
  const accept = request.headers.get("accept") ?? ""
  return accept.includes("application/json") && !accept.includes("text/html")
}

export type App = ReturnType<typeof createApp>
