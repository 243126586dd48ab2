import { db } from "./store"

// The queries behind the cross-project session lists (list-all.ts); rows are wire JSON.

type Args = Array<string | number>

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => "\\" + c)}%`

function limitSql(limit: number | undefined) {
  return limit === undefined ? "" : ` LIMIT ${Math.min(Math.max(0, Math.floor(limit)), Number.MAX_SAFE_INTEGER)}`
}

function select(where: string[], args: Args, order: string, limit: number | undefined): string[] {
  return db()
    .query<{ data: string }, Args>(`SELECT data FROM session ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order}${limitSql(limit)}`)
    .all(...args)
    .map((r) => r.data)
}

/** Newest activity first; `cursor` = updated before this time; archived only when asked for. */
export function byUpdate(q: { roots?: boolean; start?: number; cursor?: number; search?: string; limit?: number; archived?: boolean }): string[] {
  const where: string[] = []
  const args: Args = []
  if (q.roots) where.push("parent_id IS NULL")
  if (q.start !== undefined) where.push("time_updated >= ?"), args.push(q.start)
  if (q.cursor !== undefined) where.push("time_updated < ?"), args.push(q.cursor)
  if (q.search) where.push("json_extract(data, '$.title') LIKE ? ESCAPE '\\'"), args.push(like(q.search))
  if (!q.archived) where.push("json_extract(data, '$.time.archived') IS NULL")
  return select(where, args, "time_updated DESC, id DESC", q.limit)
}

/** Creation order from `after` (exclusive), one way or the other. */
export function byId(q: { project?: string; under?: string; directory?: string; search?: string; after?: string; ascending: boolean; limit: number }): string[] {
  const where: string[] = []
  const args: Args = []
  if (q.project) where.push("project_id = ?"), args.push(q.project)
  if (q.under !== undefined) where.push("(directory = ? OR substr(directory, 1, ?) = ?)"), args.push(q.under, q.under.length + 1, q.under + "/")
  else if (q.directory) where.push("directory = ?"), args.push(q.directory)
  if (q.search) where.push("json_extract(data, '$.title') LIKE ? ESCAPE '\\'"), args.push(like(q.search))
  if (q.after !== undefined) where.push(`id ${q.ascending ? ">" : "<"} ?`), args.push(q.after)
  return select(where, args, `id ${q.ascending ? "ASC" : "DESC"}`, q.limit)
}
