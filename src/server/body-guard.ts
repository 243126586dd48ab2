import type { TSchema } from "elysia"
import { TypeCompiler } from "@sinclair/typebox/compiler"
import { Value } from "@sinclair/typebox/value"
import { BadRequestError, NamedError, PayloadTooLargeError } from "../util/error"
import { limit } from "../global/limits"
import { schemaIssues } from "../util/schema-issues"
import { FORBIDDEN_KEYS } from "../util/safe-keys"

/** Far deeper than any request shape of the API (a tool input nests a few levels). */
export const MAX_BODY_DEPTH = 256

// Routes whose body may be any JSON value; every other body is an object (or absent).
const ANY_JSON = new Set(["/tui/control/response"])

/** The parse hook's answer for a body of nothing (or only whitespace): the same as no body. */
export const EMPTY_BODY = Symbol("empty body")

/** The parse hook's answer for a body that is there but is not JSON; refused where a route takes a body. */
export class UnusableBody {
  constructor(readonly reason: string) {}
}

/** The parse hook's answer for a body over the size limit (an error thrown there would become a 400). */
class OversizedBody {
  constructor(readonly error: PayloadTooLargeError) {}
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i

/**
 * Every request body, for every route, is read here (Elysia's own parser, for a route whose
 * body is optional, swallowed a JSON syntax error and ran the route as if no body had come:
 * `{"soak": ` created a session). JSON is accepted as application/json or `+json`, and also
 * as text/plain or with no content type, which is what fetch() and curl send by default;
 * anything else (forms, binary) is not JSON.
 */
export async function parseBody(request: Request, takesBody: boolean): Promise<unknown> {
  // A route that takes no body ignores one, unread.
  if (!takesBody) return EMPTY_BODY
  try {
    return await parseJson(request)
  } catch (e) {
    if (e instanceof PayloadTooLargeError) return new OversizedBody(e)
    throw e
  }
}

async function parseJson(request: Request): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim()
  if (type && !JSON_TYPE.test(type) && type.toLowerCase() !== "text/plain") {
    if (!request.body) return EMPTY_BODY
    const text = await readText(request)
    return text.trim() ? new UnusableBody(`the body must be JSON (Content-Type: application/json), not ${type}`) : EMPTY_BODY
  }
  const text = await readText(request)
  if (!text.trim()) return EMPTY_BODY
  try {
    return JSON.parse(text)
  } catch (e) {
    return new UnusableBody(`the body is not valid JSON (${(e as Error).message})`)
  }
}

function tooLarge(max: number) {
  return new PayloadTooLargeError(`Request body is larger than the server's limit of ${max} bytes (raised with --max-body-bytes)`)
}

/**
 * Every request, whatever its route: a declared body over the limit is refused before a byte
 * of it is read. (Bun's own limit is set out of the way, because it answers a bare 413.)
 */
export function refuseOversized(request: Request) {
  const max = limit("bodyBytes")
  if (Number(request.headers.get("content-length") ?? 0) > max) throw tooLarge(max)
}

/** The body as text, read no further than the limit: a chunked body declares no length. */
async function readText(request: Request): Promise<string> {
  const max = limit("bodyBytes")
  if (!request.body) return ""
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    size += r.value.byteLength
    if (size > max) {
      reader.cancel().catch(() => {})
      throw tooLarge(max)
    }
    chunks.push(r.value)
  }
  return Buffer.concat(chunks, size).toString("utf8")
}

/**
 * Runs on the parsed body before validation and answers the body the route gets. Besides the
 * parse hook's verdicts, three things the schemas do not catch:
 * - `null` passed an optional body's check as "no body"; Elysia turns an array or a string
 *   into an object to fit a `t.Object` schema, so `[1,2]` reached PATCH /config as
 *   {"0":1,"1":2} and was written into the user's file. A body is an object.
 * - `__proto__`, `constructor` and `prototype` keys, at any depth: bodies are merged into
 *   config files and stored objects, where such a key can reach an object's prototype.
 * - Validating a body of nothing but brackets against a union schema took seconds of CPU and
 *   then overflowed the stack: a 200 KB body cost 7 s. The walk is iterative and stops at the
 *   first node past the limit.
 * A route that takes no body gets none, whatever was sent: it is not read further.
 */
export function checkBody(body: unknown, route: string, schema: TSchema | undefined): unknown {
  if (body === undefined || body === EMPTY_BODY || !schema) return undefined
  if (body instanceof OversizedBody) throw body.error
  if (body instanceof UnusableBody) throw new BadRequestError(`Malformed request body: ${body.reason}`, "Body")
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    if (!ANY_JSON.has(route)) throw new BadRequestError(`Request body must be a JSON object, got ${describe(body)}`, "Body")
  }
  checkTree(body)
  checkSchema(schema, body)
  return body
}

const asSent = new WeakMap<Request, unknown>()

/**
 * The body as the client sent it. Elysia's normaliser hands routes a copy without the keys
 * their schemas do not name; a route that must refuse such keys, rather than drop them in
 * silence (PATCH /config), reads this instead.
 */
export function bodyAsSent(request: Request): unknown {
  return asSent.get(request)
}

export function keepAsSent(request: Request, body: unknown) {
  if (body !== undefined) asSent.set(request, body)
}

const compiled = new WeakMap<TSchema, { Check(value: unknown): boolean }>()

/**
 * The route's schema, checked on the body as it came. Elysia's own check runs after its
 * normaliser, which turns a number or a string where an object belongs into `{}`: PATCH
 * /config {"keybinds": 12345} wrote `"keybinds": {}`, and an optional body of `{}` was not
 * checked at all, required fields or not.
 */
function checkSchema(schema: TSchema, body: unknown) {
  let check = compiled.get(schema)
  if (!check) {
    try {
      check = TypeCompiler.Compile(schema)
    } catch {
      check = { Check: (v) => Value.Check(schema, v) }
    }
    compiled.set(schema, check)
  }
  if (check.Check(body)) return
  const issue = schemaIssues(schema, body, 1)[0]
  const field = issue?.path || undefined
  const message = `Invalid body${field ? ` field '${field}'` : ""}: ${issue?.message ?? "does not match the schema"}`
  throw new NamedError("BadRequest", { message, kind: "Body", ...(field ? { field } : {}) }, 400)
}

function describe(v: unknown) {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v
}

type Node = { value: unknown; depth: number; parent?: Node; key?: string }

function checkTree(body: unknown) {
  if (!body || typeof body !== "object") return
  const stack: Node[] = [{ value: body, depth: 1 }]
  while (stack.length) {
    const node = stack.pop()!
    if (node.depth > MAX_BODY_DEPTH) throw new BadRequestError(`Request body nested too deeply (more than ${MAX_BODY_DEPTH} levels of arrays and objects)`, "Body")
    const value = node.value as Record<string, unknown>
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child = value[i]
        if (child && typeof child === "object") stack.push({ value: child, depth: node.depth + 1, parent: node, key: String(i) })
      }
      continue
    }
    for (const key in value) {
      if (FORBIDDEN_KEYS.has(key))
        throw new BadRequestError(`Request body key '${pathOf(node, key)}' is not allowed: __proto__, constructor and prototype are refused in every body`, "Body")
      const child = value[key]
      if (child && typeof child === "object") stack.push({ value: child, depth: node.depth + 1, parent: node, key })
    }
  }
}

function pathOf(node: Node, key: string) {
  const keys = [key]
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) keys.unshift(n.key)
  return keys.join(".")
}
