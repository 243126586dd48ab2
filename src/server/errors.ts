import type { TSchema, ValidationError } from "elysia"
import { schemaIssues } from "../util/schema-issues"
import { NamedError, errorMessage } from "../util/error"
import { createLog } from "../util/log"
import { loggableUrl } from "./auth"
import { requestIdOf } from "./request-id"
import { recordUnexpectedError } from "../metrics/recorder"

const log = createLog("server")

const STORAGE: Record<string, string> = {
  SQLITE_FULL: "the disk is full",
  SQLITE_READONLY: "it is read-only",
  SQLITE_IOERR: "the disk reported an I/O error",
  SQLITE_CANTOPEN: "the database file cannot be opened",
}

type Mapped = { status: number; body: { name: string; data: Record<string, unknown> } }

const KIND: Record<string, "Params" | "Headers" | "Query" | "Body" | "Payload"> = {
  params: "Params",
  headers: "Headers",
  header: "Headers",
  query: "Query",
  body: "Body",
}

/**
 * The one place domain and framework errors become HTTP answers. Everything leaves as JSON
 * `{ name, data }` so the SDK's error typing works for every route.
 */
export function mapError(code: string | number, error: unknown, request: Request): Mapped {
  // Our own typed errors carry their status.
  if (error instanceof NamedError) return { status: error.status, body: error.toJSON() }
  // Only input built to be pathological gets this deep (see body-depth.ts for the usual guard).
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    log.warn("stack overflow on a request", { method: request.method, url: loggableUrl(request.url) })
    return { status: 400, body: { name: "BadRequest", data: { message: "Request nested too deeply to process", kind: "Body" } } }
  }

  // Another process held the database's write lock past busy_timeout (db.ts): nothing was
  // written, and trying again later is the answer, so this is not a server fault.
  const sqlite = (error as { code?: unknown } | undefined)?.code
  if (typeof sqlite === "string" && /^SQLITE_(BUSY|LOCKED)/.test(sqlite)) {
    log.warn("database busy", { method: request.method, url: loggableUrl(request.url), code: sqlite })
    return {
      status: 503,
      body: { name: "DatabaseBusyError", data: { message: "The database is locked by another process (waited 5 s); nothing was changed: try again." } },
    }
  }

  // The data directory out of space or not writable: a state of the machine, not of the
  // request; the transaction was rolled back, and the write works again once it is fixed.
  const storage = typeof sqlite === "string" ? Object.keys(STORAGE).find((k) => sqlite === k || sqlite.startsWith(`${k}_`)) : undefined
  if (storage) {
    log.error("storage failed", { method: request.method, url: loggableUrl(request.url), code: sqlite })
    return { status: 503, body: { name: "StorageError", data: { message: `Could not write to the data directory: ${STORAGE[storage]}; nothing was changed.` } } }
  }

  switch (code) {
    // Elysia answers 422 for schema failures; the opencode contract is 400 naming the field.
    case "VALIDATION":
      return { status: 400, body: { name: "BadRequest", data: validationData(error as ValidationError) } }
    case "NOT_FOUND": {
      const url = new URL(request.url)
      return { status: 404, body: { name: "NotFoundError", data: { message: `No route for ${request.method} ${url.pathname}` } } }
    }
    case "PARSE":
      return { status: 400, body: { name: "BadRequest", data: { message: `Malformed request body (expected JSON matching the route schema): ${errorMessage(error)}`, kind: "Body" } } }
    case "INVALID_COOKIE_SIGNATURE":
      return { status: 400, body: { name: "BadRequest", data: { message: "Invalid cookie signature", kind: "Headers" } } }
  }
  // Anything else is our bug or the environment's: log the cause, keep the server alive.
  recordUnexpectedError("route")
  log.error("unhandled error", { requestID: requestIdOf(request), method: request.method, url: loggableUrl(request.url), error })
  return { status: 500, body: { name: "UnknownError", data: { message: errorMessage(error) } } }
}

function validationData(e: ValidationError) {
  const kind = KIND[e.type] ?? "Payload"
  const schema = (e.validator as { schema?: TSchema } | undefined)?.schema
  const issue = schema ? schemaIssues(schema, e.value, 1)[0] : undefined
  let where = issue?.path ?? (e.valueError?.path ?? "").replace(/^\//, "").replace(/\//g, ".")
  if (!where && e.type === "body" && (e.value === undefined || e.value === null)) where = "(body)"
  const what = issue?.message ?? e.valueError?.message ?? "invalid value"
  const message = `Invalid ${e.type}${where ? ` field '${where}'` : ""}: ${what}`
  return { message, kind, ...(where ? { field: where } : {}) }
}
