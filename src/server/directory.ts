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

let defaultDirectory = process.cwd()
export function setDefaultDirectory(dir: string) {
  defaultDirectory = dir
}

/** `?directory=` wins over `x-opencode-directory`; both fall back to the server's cwd. */
export function resolveDirectory(request: Request): string {
  const url = new URL(request.url)
  let raw = url.searchParams.get("directory") ?? request.headers.get("x-opencode-directory") ?? undefined
  if (raw) {
    try {
      raw = decodeURIComponent(raw)
    } catch {}
  }
  const dir = path.resolve(defaultDirectory, raw || defaultDirectory)
  if ((confirmed.get(dir) ?? 0) > performance.now()) return dir
  let stat: fs.Stats | undefined
  try {
    stat = fs.statSync(dir)
  } catch {}
  if (!stat) throw new BadRequestError(`Directory does not exist: ${dir}`, "Query")
  if (!stat.isDirectory()) throw new BadRequestError(`Not a directory: ${dir}`, "Query")
  if (confirmed.size >= 1000) confirmed.clear()
  confirmed.set(dir, performance.now() + CONFIRMED_MS)
  return dir
}

// A stat per request was a third of a scoped route's cost under load; directories rarely
// vanish, so one just checked is trusted for a second.
const CONFIRMED_MS = 1000
const confirmed = new Map<string, number>()

/** Adds `instance` (the project state for the request's directory) to every route using it. */
export const instanceScope = new Elysia({ name: "instance-scope" }).resolve({ as: "scoped" }, async ({ request }) => {
  const directory = resolveDirectory(request)
  return { instance: await getInstance(directory) }
})
