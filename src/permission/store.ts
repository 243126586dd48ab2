import { database } from "../storage/db"
import type { Permission, PermissionResponse } from "./schema"

export type Status = "pending" | "replied" | "aborted" | "expired"

type Row = {
  id: string
  directory: string
  session_id: string
  message_id: string
  call_id: string | null
  type: string
  pattern: string | null
  title: string
  metadata: string
  status: Status
  response: string | null
  time_created: number
}

export type Stored = { info: Permission; directory: string; status: Status; response?: string }

function toStored(r: Row): Stored {
  return {
    directory: r.directory,
    status: r.status,
    ...(r.response ? { response: r.response } : {}),
    info: {
      id: r.id,
      type: r.type,
      ...(r.pattern !== null ? { pattern: JSON.parse(r.pattern) } : {}),
      sessionID: r.session_id,
      messageID: r.message_id,
      ...(r.call_id ? { callID: r.call_id } : {}),
      title: r.title,
      metadata: JSON.parse(r.metadata),
      time: { created: r.time_created },
    },
  }
}

const db = database

/**
 * Expires the requests a previous server left pending and returns them. Waiters live in
 * memory, so a request still "pending" when a server starts belongs to one that is gone
 * (crash, kill, restart). Run once at start-up, before anything reads them.
 */
export function expirePending(): Stored[] {
  const d = db()
  return d
    .transaction(() => {
      const stale = d.query<Row, []>("SELECT * FROM permission WHERE status = 'pending'").all().map(toStored)
      if (stale.length) d.query("UPDATE permission SET status = 'expired', time_replied = ? WHERE status = 'pending'").run(Date.now())
      return stale
    })
    .immediate()
}

/** The rules a client attached to one session; an empty list removes them. */
export function setSessionRules(sessionID: string, rules: Array<{ permission: string; pattern: string; action: string }>) {
  if (!rules.length) return void db().query("DELETE FROM session_permission WHERE session_id = ?").run(sessionID)
  db()
    .query("INSERT INTO session_permission (session_id, rules) VALUES (?, ?) ON CONFLICT(session_id) DO UPDATE SET rules = excluded.rules")
    .run(sessionID, JSON.stringify(rules))
}

/** Each session's stored rules (JSON), root ancestor first, the session's own last. */
export function sessionRulesUp(sessionID: string): string[] {
  return db()
    .query<{ rules: string }, [string]>(
      `WITH RECURSIVE up(id, depth) AS (
         SELECT id, 0 FROM session WHERE id = ?
         UNION ALL SELECT s.parent_id, up.depth + 1 FROM session s JOIN up ON s.id = up.id WHERE s.parent_id IS NOT NULL
       )
       SELECT sp.rules FROM up JOIN session_permission sp ON sp.session_id = up.id ORDER BY up.depth DESC`,
    )
    .all(sessionID)
    .map((r) => r.rules)
}

export function insert(p: Permission, directory: string) {
  db()
    .query(
      `INSERT INTO permission (id, directory, session_id, message_id, call_id, type, pattern, title, metadata, status, time_created)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
    )
    .run(
      p.id,
      directory,
      p.sessionID,
      p.messageID,
      p.callID ?? null,
      p.type,
      p.pattern === undefined ? null : JSON.stringify(p.pattern),
      p.title,
      JSON.stringify(p.metadata),
      p.time.created,
    )
}

export function close(id: string, status: Exclude<Status, "pending">, response?: PermissionResponse) {
  db()
    .query("UPDATE permission SET status = ?, response = ?, time_replied = ? WHERE id = ? AND status = 'pending'")
    .run(status, response ?? null, Date.now(), id)
}

export function get(id: string): Stored | undefined {
  const r = db().query<Row, [string]>("SELECT * FROM permission WHERE id = ?").get(id)
  return r ? toStored(r) : undefined
}

export function pending(directory?: string): Stored[] {
  const rows = directory
    ? db().query<Row, [string]>("SELECT * FROM permission WHERE status = 'pending' AND directory = ? ORDER BY id").all(directory)
    : db().query<Row, []>("SELECT * FROM permission WHERE status = 'pending' ORDER BY id").all()
  return rows.map(toStored)
}

export function approvals(sessionID: string): { type: string; pattern: string }[] {
  return db()
    .query<{ type: string; pattern: string }, [string]>("SELECT type, pattern FROM permission_approval WHERE session_id = ?")
    .all(sessionID)
}

export function approve(sessionID: string, type: string, patterns: string[]) {
  const d = db()
  const q = d.query("INSERT OR IGNORE INTO permission_approval (session_id, type, pattern, time_created) VALUES (?, ?, ?, ?)")
  d.transaction(() => {
    for (const p of patterns) q.run(sessionID, type, p, Date.now())
  }).immediate()
}

/** Forgets a deleted session's requests and remembered approvals. */
export function removeSession(sessionID: string) {
  const d = db()
  d.transaction(() => {
    d.query("DELETE FROM permission WHERE session_id = ?").run(sessionID)
    d.query("DELETE FROM permission_approval WHERE session_id = ?").run(sessionID)
  }).immediate()
}
