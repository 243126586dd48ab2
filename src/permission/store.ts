import type { Database } from "bun:sqlite"
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

let opened: Database | undefined
let onReopen: (stale: Stored[]) => void = () => {}

/** Called with the requests a previous server left pending, each time the database is (re)opened. */
export function setReopenHandler(fn: (stale: Stored[]) => void) {
  onReopen = fn
}

// Waiters live in memory, so a request still "pending" in a freshly opened database belongs
// to a server that is gone (crash, kill, restart): close those before anything reads them.
function db(): Database {
  const d = database()
  if (d === opened) return d
  opened = d
  const stale = d.query<Row, []>("SELECT * FROM permission WHERE status = 'pending'").all().map(toStored)
  if (stale.length) {
    d.query("UPDATE permission SET status = 'expired', time_replied = ? WHERE status = 'pending'").run(Date.now())
    onReopen(stale)
  }
  return d
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
