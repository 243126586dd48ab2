import path from "node:path"
import { BadRequestError } from "../util/error"
import * as Projects from "../project/project"
import type { Session } from "./schema"
import { parse } from "./store"
import * as ListStore from "./list-store"

// Session lists across every project, for the web and desktop apps: GET /experimental/session
// (newest activity first, paged by time) and GET /api/session (creation order, paged by cursor).

export type GlobalQuery = { roots?: boolean; start?: number; cursor?: number; search?: string; limit?: number; archived?: boolean }

/** GET /experimental/session: archived sessions only when asked for; `cursor` = updated before this time. */
export function globalSessions(q: GlobalQuery) {
  const rows = ListStore.byUpdate(q)
  const projects = new Map<string, { id: string; name?: string; worktree: string } | null>()
  return rows.map((r) => {
    const s = parse(r)
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
  let under: string | undefined
  if (q.subpath !== undefined) {
    const base = q.directory ?? (q.project ? Projects.get(q.project)?.worktree : undefined)
    if (!base) throw new BadRequestError("Invalid query field 'subpath': it needs `directory` or `project` to be relative to", "Query")
    under = path.resolve(base, q.subpath)
  }
  const cursor = q.cursor ? decodeCursor(q.cursor) : undefined
  // Reading backwards (previous page) walks the opposite way, then flips the rows back.
  const forward = !cursor || cursor.dir === "next"
  const ascending = (order === "asc") === forward
  const rows = ListStore.byId({ project: q.project, under, directory: under === undefined ? q.directory : undefined, search: q.search, after: cursor?.id, ascending, limit: limit + 1 })
  const more = rows.length > limit
  const page = rows.slice(0, limit).map((r) => parse(r))
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
