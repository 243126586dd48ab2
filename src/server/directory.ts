import { Elysia, t } from "elysia"
import fs from "node:fs"
import path from "node:path"
import { getInstance } from "../project/instance"
import { BadRequestError } from "../util/error"

/** Documented on every scoped route; the value itself is read in resolveDirectory. */
export const DirectoryQuery = t.Object({
  directory: t.Optional(t.String({ description: "Project directory to act on (default: the server's working directory)" })),
})

/** A scoped route's query schema: the route's own params plus `directory`. */
export function scopedQuery<P extends Record<string, any>>(props: P) {
  return t.Object({ ...DirectoryQuery.properties, ...props })
}

// Each app serves its own default directory (a process may run several servers, as tests
// do); the app tags every request it receives with it.
const fallback = process.cwd()
const defaults = new WeakMap<Request, string>()
export function bindDefaultDirectory(request: Request, dir: string) {
  defaults.set(request, dir)
}

/**
 * `?directory=` wins over `x-opencode-directory`; both fall back to the server's cwd. `query`
 * is Elysia's already parsed query, when the caller has it (saves parsing the URL again).
 */
export function resolveDirectory(request: Request, query?: Record<string, unknown>): string {
  const q = query ? query.directory : new URL(request.url).searchParams.get("directory")
  const given = (Array.isArray(q) ? q[0] : q) ?? request.headers.get("x-opencode-directory") ?? ""
  const base = defaults.get(request) ?? fallback
  const key = base + "\0" + given
  const hit = recent.get(key)
  if (hit && hit.until > performance.now()) return hit.dir
  let raw: string = given
  if (raw) {
    try {
      raw = decodeURIComponent(raw)
    } catch {}
  }
  const dir = path.resolve(base, raw || base)
  let stat: fs.Stats | undefined
  try {
    stat = fs.statSync(dir)
  } catch {}
  if (!stat) throw new BadRequestError(`Directory does not exist: ${dir}`, "Query")
  if (!stat.isDirectory()) throw new BadRequestError(`Not a directory: ${dir}`, "Query")
  if (recent.size >= 1000) recent.clear()
  recent.set(key, { dir, until: performance.now() + CONFIRMED_MS })
  return dir
}

// Decoding, resolving and a stat per request were over a third of a scoped route's cost under
// load; directories rarely vanish, so one just checked is trusted for a second.
const CONFIRMED_MS = 1000
const recent = new Map<string, { dir: string; until: number }>()

/** Adds `instance` (the project state for the request's directory) to every route using it. */
export const instanceScope = new Elysia({ name: "instance-scope" }).resolve({ as: "scoped" }, async ({ request, query }) => {
  const directory = resolveDirectory(request, query)
  return { instance: await getInstance(directory) }
})
