import { toOpenAPISchema } from "@elysiajs/openapi"
import { t, type AnyElysia, type TSchema } from "elysia"
import { OptionalKind } from "@sinclair/typebox"
import { registeredEvents } from "../bus"
import { VERSION } from "../global/version"
// The explorer's script ships inside the binary so /doc works offline. Imported by path: the
// package's exports map does not expose its browser bundle.
import scalarScript from "../../node_modules/@scalar/api-reference/dist/browser/standalone.js" with { type: "file" }

export const DOC_PATHS = { page: "/doc", json: "/doc/json", script: "/doc/scalar.js" }

/** The `Event` component: a union of every event any domain declared. */
export function eventUnion() {
  return t.Union(
    registeredEvents().map((d) => d.schema),
    { $id: "Event" },
  )
}

/**
 * The OpenAPI 3.1 document, generated from the route schemas by @elysiajs/openapi and then
 * tidied: every schema carrying a `$id` becomes a named component referenced by `$ref`, so
 * generated clients get the same type names as the SDK (Session, Part, Event...).
 */
export function buildSpec(app: AnyElysia, opts: { auth: boolean }) {
  const generated = toOpenAPISchema(app, { paths: Object.values(DOC_PATHS), staticFile: true }, undefined, undefined, "3.1.0")
  const schemas: Record<string, unknown> = {}
  jsonBodies(app, generated.paths as Record<string, Record<string, any>>)
  const paths = hoist(generated.paths, schemas)
  for (const [name, s] of Object.entries(generated.components?.schemas ?? {})) {
    if (!schemas[name]) schemas[name] = hoist(s, schemas, name)
  }
  for (const ev of registeredEvents()) {
    const name = ev.schema.$id as string
    if (!schemas[name]) hoist(ev.schema, schemas)
  }
  if (!schemas.Event) schemas.Event = hoist(eventUnion(), schemas, "Event")
  return {
    openapi: "3.1.0",
    info: { title: "opencode", version: VERSION, description: "opencode server API (Bun-native implementation)" },
    paths,
    components: {
      schemas: sortKeys(schemas),
      ...(opts.auth ? { securitySchemes: { basicAuth: { type: "http", scheme: "basic" } } } : {}),
    },
    ...(opts.auth ? { security: [{ basicAuth: [] }] } : {}),
  }
}

/**
 * Request bodies as the server takes them: JSON only (body-guard.ts refuses forms), required
 * only where the route's schema is not optional. The generator leaves `content` empty for
 * routes with a parse hook, and every route has ours.
 */
function jsonBodies(app: AnyElysia, paths: Record<string, Record<string, any>>) {
  for (const route of app.routes) {
    const body = route.hooks?.body as TSchema | undefined
    const op = paths[route.path.replace(/:([^/]+)/g, "{$1}")]?.[route.method.toLowerCase()]
    if (!body || !op?.requestBody) continue
    const { description } = op.requestBody
    op.requestBody = {
      ...(description ? { description } : {}),
      content: { "application/json": { schema: body } },
      ...(OptionalKind in body ? {} : { required: true }),
    }
  }
}

/** Component names defined twice with different shapes in the last build: a bug, tested for. */
export const componentConflicts = new Set<string>()

function hoist(node: unknown, schemas: Record<string, unknown>, self?: string): any {
  if (Array.isArray(node)) return node.map((n) => hoist(n, schemas))
  if (!node || typeof node !== "object") return node
  const obj = node as Record<string, unknown>
  const id = typeof obj.$id === "string" ? obj.$id : undefined
  let copy: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) {
    if (k === "$id") continue
    copy[k] = hoist(v, schemas)
  }
  copy = withoutCoercionBranch(literalsAsEnum(copy))
  if (!id || id === self) return copy
  if (!schemas[id]) schemas[id] = copy
  else if (JSON.stringify(schemas[id]) !== JSON.stringify(copy)) componentConflicts.add(id)
  return { $ref: `#/components/schemas/${id}` }
}

// The generator renders a union of string literals as `enum` in some places and as `anyOf`
// of consts in others; one form keeps components comparable (and reads better).
function literalsAsEnum(node: Record<string, unknown>) {
  const items = node.anyOf as Array<Record<string, unknown>> | undefined
  if (!Array.isArray(items) || items.length === 0) return node
  if (!items.every((i) => "const" in i && i.type === "string" && Object.keys(i).length === 2)) return node
  const { anyOf: _, ...rest } = node
  return { ...rest, type: "string", enum: items.map((i) => i.const) }
}

// Elysia's t.Integer/t.Numeric also accept a numeric string (query strings are text) and
// document that as an extra `anyOf` branch; clients should see the plain number type.
function withoutCoercionBranch(node: Record<string, unknown>) {
  const items = node.anyOf as Array<Record<string, unknown>> | undefined
  if (!Array.isArray(items) || items.length !== 2) return node
  const text = items.find((i) => i.type === "string" && typeof i.format === "string" && ["integer", "numeric", "boolean"].includes(i.format as string))
  const real = items.find((i) => i !== text && ["integer", "number", "boolean"].includes(i.type as string))
  if (!text || !real) return node
  const { anyOf: _, ...rest } = node
  return { ...rest, ...real }
}

function sortKeys(o: Record<string, unknown>) {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]))
}

/** `prefix`: the sub-path the page was reached by (see base-path.ts), so its script and spec load. */
export function docPage(prefix = "") {
  const html = `<!doctype html>
<html>
  <head>
    <title>opencode API</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
  </head>
  <body>
    <script id="api-reference" data-url="${prefix}${DOC_PATHS.json}"></script>
    <script src="${prefix}${DOC_PATHS.script}"></script>
  </body>
</html>`
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } })
}

export function docScript() {
  return new Response(Bun.file(scalarScript), {
    headers: { "content-type": "application/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
  })
}
