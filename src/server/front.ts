import { createLog, writeRequestLine } from "../util/log"
import { rawPath } from "../util/raw-path"
import { stripBasePath } from "./base-path"
import { assignRequestId, routeOf } from "./request-id"
import { recordRequest, recordUnexpectedError } from "../metrics/recorder"

const log = createLog("http")

type Handler = (request: Request) => Response | undefined | Promise<Response | undefined>

/**
 * What every request goes through before and after the app: the base path comes off, the
 * request gets its id, and once answered it is counted and logged in one line (method, path
 * without the query, status, duration, id: never bodies, credentials or tokens).
 */
export function front(app: Handler, basePath = ""): (request: Request) => Promise<Response | undefined> {
  return async (original) => {
    const start = performance.now()
    const request = stripBasePath(basePath, original)
    const id = assignRequestId(request)
    let response: Response | undefined
    try {
      response = await app(request)
    } catch (e) {
      // The app's own error handler answers nearly everything; this is the last resort.
      recordUnexpectedError("front")
      log.error("unhandled", { requestID: id, method: request.method, path: rawPath(request.url), error: e })
      response = Response.json({ name: "UnknownError", data: { message: e instanceof Error ? e.message : String(e) } }, { status: 500 })
    }
    // A WebSocket upgrade has no response: Bun answers 101 itself.
    if (response) response = await stamp(response, id)
    const seconds = (performance.now() - start) / 1000
    const status = response?.status ?? 101
    recordRequest(request.method, routeOf(request), status, seconds)
    // The id is a UUID or matched a plain-token pattern (request-id.ts): no escaping needed.
    writeRequestLine(`${request.method} ${rawPath(original.url)} ${status} ${(seconds * 1000).toFixed(1)}ms`, `{"requestID":"${id}"}`)
    return response
  }
}

/** The id as a header, and inside a JSON error body so a bug report carries it. */
async function stamp(response: Response, id: string): Promise<Response> {
  if (response.status >= 400 && response.headers.get("content-type")?.includes("application/json") && response.body) {
    const text = await response.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {}
    const out = body && typeof body === "object" && !Array.isArray(body) ? JSON.stringify({ ...body, requestID: id }) : text
    const headers = new Headers(response.headers)
    headers.set("x-request-id", id)
    headers.delete("content-length")
    return new Response(out, { status: response.status, statusText: response.statusText, headers })
  }
  try {
    response.headers.set("x-request-id", id)
    return response
  } catch {
    // Some responses have immutable headers: wrap them.
    const headers = new Headers(response.headers)
    headers.set("x-request-id", id)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}
