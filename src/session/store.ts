import { database } from "../storage/db"
import type { Session } from "./schema"
import { slugFor } from "./slug"

// Session rows (and each session's todo list). The wire JSON lives in `data`; the columns
// beside it are for lookups. Crash recovery is not run from here: startServer runs it
// (recovery.ts) once the database is open.

/** The database (opened on first use; see storage/db.ts). */
export const db = database

type Row = { data: string }

/** A stored row as the wire shape; rows written before a field existed get it here. */
export function parse(data: string): Session {
  const s = JSON.parse(data) as Session
  s.slug ??= slugFor(s.id)
  return s
}

export function insert(s: Session) {
  db()
    .query("INSERT INTO session (id, project_id, parent_id, directory, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)")
    .run(s.id, s.projectID, s.parentID ?? null, s.directory, s.time.updated, JSON.stringify(s))
}

export function write(s: Session) {
  db().query("UPDATE session SET time_updated = ?, data = ? WHERE id = ?").run(s.time.updated, JSON.stringify(s), s.id)
}

export function get(id: string): Session | undefined {
  const row = db().query<Row, [string]>("SELECT data FROM session WHERE id = ?").get(id)
  return row ? parse(row.data) : undefined
}

export type ListFilter = {
  projectID: string
  /** Exactly this directory. */
  directory?: string
  /** This directory or any below it. */
  under?: string
  /** Top-level sessions only (no subagent children). */
  roots?: boolean
  /** Updated at or after this time (ms). */
  start?: number
  /** Case-insensitive title substring. */
  search?: string
  limit?: number
}

/** Newest first, as the real server sorts them. */
export function list(filter: ListFilter): Session[] {
  const where = ["project_id = ?"]
  const args: Array<string | number> = [filter.projectID]
  if (filter.directory) {
    where.push("directory = ?")
    args.push(filter.directory)
  }
  if (filter.under && filter.under !== "/") {
    const prefix = filter.under.replace(/\/+$/, "") + "/"
    where.push("(directory = ? OR substr(directory, 1, ?) = ?)")
    args.push(prefix.slice(0, -1), prefix.length, prefix)
  }
  if (filter.roots) where.push("parent_id IS NULL")
  if (filter.start !== undefined) {
    where.push("time_updated >= ?")
    args.push(filter.start)
  }
  if (filter.search) {
    where.push("json_extract(data, '$.title') LIKE ? ESCAPE '\\'")
    args.push(`%${filter.search.replace(/[\\%_]/g, (c) => "\\" + c)}%`)
  }
  // SQLite refuses a LIMIT past 64 bits ("datatype mismatch"): cap what a client may ask for.
  const limit = filter.limit !== undefined ? ` LIMIT ${Math.min(Math.max(0, Math.floor(filter.limit)), Number.MAX_SAFE_INTEGER)}` : ""
  const rows = db()
    .query<Row, Array<string | number>>(`SELECT data FROM session WHERE ${where.join(" AND ")} ORDER BY time_updated DESC, id DESC${limit}`)
    .all(...args)
  return rows.map((r) => parse(r.data))
}

export function children(id: string): Session[] {
  return db()
    .query<Row, [string]>("SELECT data FROM session WHERE parent_id = ? ORDER BY id")
    .all(id)
    .map((r) => parse(r.data))
}

/** The session and every descendant, parents before children. */
export function subtree(id: string): Session[] {
  const rows = db()
    .query<Row & { depth: number }, [string]>(
      `WITH RECURSIVE tree(id, depth) AS (
         SELECT id, 0 FROM session WHERE id = ?
         UNION ALL SELECT s.id, tree.depth + 1 FROM session s JOIN tree ON s.parent_id = tree.id
       )
       SELECT s.data, tree.depth FROM tree JOIN session s ON s.id = tree.id ORDER BY tree.depth`,
    )
    .all(id)
  return rows.map((r) => parse(r.data))
}

/** Messages, parts and child sessions go with it (foreign keys cascade). */
export function remove(id: string) {
  db().query("DELETE FROM session WHERE id = ?").run(id)
}

/** Cost and tokens summed over the session's replies. */
export function usage(id: string): { cost: number; tokens: { input: number; output: number; reasoning: number; cache: { read: number; write: number } } } {
  type U = { cost: number | null; input: number | null; output: number | null; reasoning: number | null; read: number | null; write: number | null }
  const u = db()
    .query<U, [string]>(
      `SELECT sum(json_extract(data, '$.cost')) AS cost, sum(json_extract(data, '$.tokens.input')) AS input,
              sum(json_extract(data, '$.tokens.output')) AS output, sum(json_extract(data, '$.tokens.reasoning')) AS reasoning,
              sum(json_extract(data, '$.tokens.cache.read')) AS read, sum(json_extract(data, '$.tokens.cache.write')) AS write
       FROM message WHERE session_id = ? AND role = 'assistant'`,
    )
    .get(id)
  return {
    cost: u?.cost ?? 0,
    tokens: { input: u?.input ?? 0, output: u?.output ?? 0, reasoning: u?.reasoning ?? 0, cache: { read: u?.read ?? 0, write: u?.write ?? 0 } },
  }
}

/** Sessions flagged as compacting, as stored (id and wire JSON). */
export function compactingRows(): Array<{ id: string; data: string }> {
  return db()
    .query<{ id: string; data: string }, []>("SELECT id, data FROM session WHERE json_extract(data, '$.time.compacting') IS NOT NULL")
    .all()
}

export function writeData(id: string, data: string) {
  db().query("UPDATE session SET data = ? WHERE id = ?").run(data, id)
}

/** The stored todo list JSON, if the agent ever wrote one. */
export function todoData(sessionID: string): string | undefined {
  return db().query<{ data: string }, [string]>("SELECT data FROM todo WHERE session_id = ?").get(sessionID)?.data
}

export function putTodos(sessionID: string, data: string) {
  db()
    .query(
      `INSERT INTO todo (session_id, data, time_updated) VALUES (?, ?, ?)
       ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, time_updated = excluded.time_updated`,
    )
    .run(sessionID, data, Date.now())
}

export function deleteTodos(sessionID: string) {
  db().query("DELETE FROM todo WHERE session_id = ?").run(sessionID)
}
