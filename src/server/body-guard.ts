import { BadRequestError } from "../util/error"

/** Far deeper than any request shape of the API (a tool input nests a few levels). */
export const MAX_BODY_DEPTH = 256

// Routes whose body may be any JSON value; every other body is an object (or absent).
const ANY_JSON = new Set(["/tui/control/response"])

/**
 * Runs on the parsed JSON body before validation. Two things the schemas do not catch:
 * - Elysia turns an array or a string into an object to fit a `t.Object` schema, so
 *   `[1,2]` reached PATCH /config as {"0":1,"1":2} and was written into the user's file.
 * - Validating a body of nothing but brackets against a union schema took seconds of CPU
 *   and then overflowed the stack: a 200 KB body cost 7 s. The depth check is iterative and
 *   stops at the first node past the limit.
 */
export function checkBody(body: unknown, route: string) {
  if (body === undefined || body === null) return
  if (typeof body !== "object" || Array.isArray(body)) {
    if (ANY_JSON.has(route)) return checkDepth(body)
    throw new BadRequestError(`Request body must be a JSON object, got ${Array.isArray(body) ? "an array" : typeof body}`, "Body")
  }
  checkDepth(body)
}

function checkDepth(body: unknown) {
  if (!body || typeof body !== "object") return
  const stack: Array<[unknown, number]> = [[body, 1]]
  while (stack.length) {
    const [value, depth] = stack.pop()!
    if (depth > MAX_BODY_DEPTH) throw new BadRequestError(`Request body nested too deeply (more than ${MAX_BODY_DEPTH} levels of arrays and objects)`, "Body")
    for (const child of Array.isArray(value) ? value : Object.values(value as object)) {
      if (child && typeof child === "object") stack.push([child, depth + 1])
    }
  }
}
