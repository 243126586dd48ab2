import path from "node:path"
import { BadRequestError } from "../util/error"
import * as Projects from "../project/project"
import type { Session } from "./schema"
import { db, parse } from "./store"

// Session lists across every project, for the web and desktop apps: GET /experimental/session
// (newest activity first, paged by time) and GET /api/session (creation order, paged by cursor).

type Row = { data: string }

export type GlobalQuery = { roots?: boolean; start?: number; cursor?: number; search?: string; limit?: number; archived?: boolean }

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => "\\" + c)}%`

/** GET /experimental/session: archived sessions only when asked for; `cursor` = updated before this time. */
export function globalSessions(q: GlobalQuery) {
  const where: string[] = []
  const args: Array<string | number> = []
  if (q.roots) where.push("parent_id IS NULL")
  if (q.start !== undefined) where.push("time_updated >= ?"), args.push(q.start)
  if (q.cursor !== undefined) where.push("time_updated < ?"), args.push(q.cursor)
  if (q.search) where.push("json_extract(data, '$.title') LIKE ? ESCAPE '\\'"), args.push(like(q.search))
  if (!q.archived) where.push("json_extract(data, '$.time.archived') IS NULL")
  const rows = db()
    .query<Row, Array<string | number>>(
      `SELECT data FROM session ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY time_updated DESC, id DESC${limitSql(q.limit)}`,
    )
    .all(...args)
  const projects = new Map<string, { id: string; name?: string; worktree: string } | null>()
  return rows.map((r) => {
    const s = parse(r.data)
    if (!projects.has(s.projectID)) {
      const p = Projects.get(s.projectID)
      projects.set(s.projectID, p ? { id: p.id, worktree: p.worktree, ...(p.name ? { name: p.name } : {}) } : null)
    }
    return { ...s, project: projects.get(s.projectID)! }
  })
}

export type PageQuery = { limit?: number; order?: "asc" | "desc"; search?: string; directory?: string; project?: string; subpath?: string; cursor?: string }

const DEFAULT_PAGE = 100

/** GET /api/session: `{ data, cursor: { previous?, next? } }` in creation order. */
export function sessionPage(q: PageQuery) {
  const order = q.order ?? "desc"
  const limit = q.limit === undefined ? DEFAULT_PAGE : Math.max(0, Math.floor(q.limit))
  const where: string[] = []
  const args: Array<string | number> = []
  if (q.project) where.push("project_id = ?"), args.push(q.project)
  if (q.subpath !== undefined) {
    const base = q.directory ?? (q.project ? Projects.get(q.project)?.worktree : undefined)
    if (!base) throw new BadRequestError("Invalid query field 'subpath': it needs `directory` or `project` to be relative to", "Query")
    const under = path.resolve(base, q.subpath)
    where.push("(directory = ? OR substr(directory, 1, ?) = ?)"), args.push(under, under.length + 1, under + "/")
  } else if (q.directory) where.push("directory = ?"), args.push(q.directory)
  if (q.search) where.push("json_extract(data, '$.title') LIKE ? ESCAPE '\\'"), args.push(like(q.search))
  const cursor = q.cursor ? decodeCursor(q.cursor) : undefined
  // Reading backwards (previous page) walks the opposite way, then flips the rows back.
  const forward = !cursor || cursor.dir === "next"
  const ascending = (order === "asc") === forward
  if (cursor) where.push(`id ${ascending ? ">" : "<"} ?`), args.push(cursor.id)
  const rows = db()
    .query<Row, Array<string | number>>(
      `SELECT data FROM session ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id ${ascending ? "ASC" : "DESC"}${limitSql(limit + 1)}`,
    )
    .all(...args)
  const more = rows.length > limit
  const page = rows.slice(0, limit).map((r) => parse(r.data))
  if (!forward) page.reverse()
  const worktrees = new Map<string, string | undefined>()
  const worktreeOf = (projectID: string) => {
    if (!worktrees.has(projectID)) worktrees.set(projectID, Projects.get(projectID)?.worktree)
    return worktrees.get(projectID)
  }
  const first = page[0]
  const last = page.at(-1)
  const next = forward ? more : !!cursor
  const previous = forward ? !!cursor : more
  return {
    data: page.map((s) => v2Info(s, worktreeOf)),
    cursor: {
      ...(previous && first ? { previous: encodeCursor({ dir: "previous", id: first.id }) } : {}),
      ...(next && last ? { next: encodeCursor({ dir: "next", id: last.id }) } : {}),
    },
  }
}

function limitSql(limit: number | undefined) {
  return limit === undefined ? "" : ` LIMIT ${Math.min(Math.max(0, Math.floor(limit)), Number.MAX_SAFE_INTEGER)}`
}

type Cursor = { dir: "next" | "previous"; id: string }

function encodeCursor(c: Cursor) {
  return Buffer.from(JSON.stringify(c)).toString("base64url")
}

export class InvalidCursorError extends Error {}

function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"))
    if ((c.dir === "next" || c.dir === "previous") && typeof c.id === "string") return c
  } catch {}
  throw new InvalidCursorError(`Invalid cursor '${raw.slice(0, 40)}': pass cursor.next or cursor.previous from a previous answer`)
}

/** The v2 shape of a session (opencode 1.18's SessionV2Info). */
export function v2Info(s: Session, worktreeOf: (projectID: string) => string | undefined) {
  const worktree = worktreeOf(s.projectID)
  const subpath = worktree && worktree !== "/" ? path.relative(worktree, s.directory) : ""
  const t = s.tokens ?? { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } }
  return {
    id: s.id,
    ...(s.parentID ? { parentID: s.parentID } : {}),
    projectID: s.projectID,
    ...(s.agent ? { agent: s.agent } : {}),
    ...(s.model ? { model: s.model } : {}),
    cost: s.cost ?? 0,
    tokens: { input: t.input, output: t.output, reasoning: t.reasoning, cache: t.cache },
    time: { created: s.time.created, updated: s.time.updated, ...(s.time.archived !== undefined ? { archived: s.time.archived } : {}) },
    title: s.title,
    location: { directory: s.directory },
    ...(subpath && !subpath.startsWith("..") ? { subpath } : {}),
    ...(s.revert ? { revert: { messageID: s.revert.messageID, ...(s.revert.partID ? { partID: s.revert.partID } : {}), ...(s.revert.snapshot ? { snapshot: s.revert.snapshot } : {}), ...(s.revert.diff ? { diff: s.revert.diff } : {}) } } : {}),
  }
}
