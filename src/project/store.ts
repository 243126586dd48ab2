import { database } from "../storage/db"

// Project rows: identity columns beside a `data` JSON of what users set.

export type Row = { id: string; worktree: string; vcs: string | null; time_created: number; time_initialized: number | null; data: string }

/** Inserts the project or refreshes its worktree and vcs; the stored row after. */
export function upsert(p: { id: string; worktree: string; vcs?: "git" }): Row {
  const db = database()
  db.query(
    `INSERT INTO project (id, worktree, vcs, time_created) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET worktree = excluded.worktree, vcs = excluded.vcs`,
  ).run(p.id, p.worktree, p.vcs ?? null, Date.now())
  return get(p.id)!
}

export function all(): Row[] {
  return database().query<Row, []>("SELECT * FROM project ORDER BY time_created").all()
}

export function get(id: string): Row | undefined {
  return database().query<Row, [string]>("SELECT * FROM project WHERE id = ?").get(id) ?? undefined
}

export function markInitialized(id: string) {
  database().query("UPDATE project SET time_initialized = ? WHERE id = ?").run(Date.now(), id)
}

/** Reads the row and writes its new `data` in one transaction; undefined when there is no row. */
export function updateData(id: string, next: (row: Row) => string): Row | undefined {
  const db = database()
  return db.transaction(() => {
    const row = get(id)
    if (!row) return undefined
    const data = next(row)
    db.query("UPDATE project SET data = ? WHERE id = ?").run(data, id)
    return { ...row, data }
  })()
}

/** The directories the project's sessions were made in, oldest first. */
export function sessionDirectories(projectID: string): string[] {
  return database()
    .query<{ directory: string }, [string]>("SELECT directory FROM session WHERE project_id = ? GROUP BY directory ORDER BY MIN(id)")
    .all(projectID)
    .map((r) => r.directory)
}
