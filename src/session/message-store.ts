import type { Message, Part, MessageWithParts } from "./schema"
import { db } from "./store"

// Messages and parts. Each write is one statement (or one transaction when several rows
// belong together), so what was written survives a crash whatever happens next.

type DataRow = { data: string }

/** `open` marks an assistant message still being produced: recovery closes those after a crash. */
export function putMessage(m: Message) {
  const open = m.role === "assistant" && !m.time.completed ? 1 : 0
  db()
    .query(
      `INSERT INTO message (id, session_id, role, open, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET open = excluded.open, data = excluded.data`,
    )
    .run(m.id, m.sessionID, m.role, open, JSON.stringify(m))
}

export function putPart(p: Part) {
  db()
    .query(
      `INSERT INTO part (id, message_id, session_id, data) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET data = excluded.data`,
    )
    .run(p.id, p.messageID, p.sessionID, JSON.stringify(p))
}

/** A message with its parts, written together or not at all. */
export function putWithParts(m: Message, parts: Part[]) {
  const d = db()
  d.transaction(() => {
    putMessage(m)
    for (const p of parts) putPart(p)
  }).immediate()
}

/** Writes made inside fn land in one transaction. */
export function batch<T>(fn: () => T): T {
  return db().transaction(fn).immediate()
}

export function removePart(id: string) {
  db().query("DELETE FROM part WHERE id = ?").run(id)
}

export function getMessage(sessionID: string, messageID: string): MessageWithParts | undefined {
  const row = db().query<DataRow, [string, string]>("SELECT data FROM message WHERE id = ? AND session_id = ?").get(messageID, sessionID)
  if (!row) return undefined
  const parts = db()
    .query<DataRow, [string]>("SELECT data FROM part WHERE message_id = ? ORDER BY id")
    .all(messageID)
    .map((r) => JSON.parse(r.data))
  return { info: JSON.parse(row.data), parts }
}

export function getInfo(messageID: string): Message | undefined {
  const row = db().query<DataRow, [string]>("SELECT data FROM message WHERE id = ?").get(messageID)
  return row ? JSON.parse(row.data) : undefined
}

type RawMessage = { id: string; data: string; parts: string[] }

/** Messages in id order with their parts as stored JSON text; `limit` keeps the newest. */
export function listRaw(sessionID: string, limit?: number): RawMessage[] {
  const d = db()
  const rows = limit
    ? d
        .query<{ id: string; data: string }, [string, number]>(
          "SELECT id, data FROM (SELECT id, data FROM message WHERE session_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
        )
        .all(sessionID, Math.min(limit, Number.MAX_SAFE_INTEGER))
    : d.query<{ id: string; data: string }, [string]>("SELECT id, data FROM message WHERE session_id = ? ORDER BY id").all(sessionID)
  if (rows.length === 0) return []
  const out: RawMessage[] = rows.map((r) => ({ id: r.id, data: r.data, parts: [] }))
  const byId = new Map(out.map((m) => [m.id, m]))
  const parts = d
    .query<{ message_id: string; data: string }, [string, string]>(
      "SELECT message_id, data FROM part WHERE session_id = ? AND message_id >= ? ORDER BY message_id, id",
    )
    .all(sessionID, out[0].id)
  for (const p of parts) byId.get(p.message_id)?.parts.push(p.data)
  return out
}

/**
 * The JSON body of GET /session/:id/message in pieces (one per message), assembled from the
 * stored text without parsing it. Rows are read now; the pieces are built as they are pulled.
 */
export function listJSON(sessionID: string, limit?: number): Iterable<string> {
  const msgs = listRaw(sessionID, limit)
  return (function* () {
    yield "["
    for (let i = 0; i < msgs.length; i++) yield `${i ? "," : ""}{"info":${msgs[i].data},"parts":[${msgs[i].parts.join(",")}]}`
    yield "]"
  })()
}

export function list(sessionID: string, limit?: number): MessageWithParts[] {
  return listRaw(sessionID, limit).map((m) => ({ info: JSON.parse(m.data), parts: m.parts.map((p) => JSON.parse(p)) }))
}

export function lastUserInfo(sessionID: string): Message | undefined {
  const row = db()
    .query<DataRow, [string]>("SELECT data FROM message WHERE session_id = ? AND role = 'user' ORDER BY id DESC LIMIT 1")
    .get(sessionID)
  return row ? JSON.parse(row.data) : undefined
}

export function exists(messageID: string): boolean {
  return !!db().query("SELECT 1 FROM message WHERE id = ?").get(messageID)
}

/** The message and its parts (the foreign key cascades). */
export function removeMessage(id: string) {
  db().query("DELETE FROM message WHERE id = ?").run(id)
}

/** Assistant messages still marked open (being produced), as stored. */
export function openRows(): Array<{ id: string; sessionID: string; data: string }> {
  return db().query<{ id: string; sessionID: string; data: string }, []>("SELECT id, session_id AS sessionID, data FROM message WHERE open = 1").all()
}

/** The message's parts as stored (wire JSON). */
export function partRows(messageID: string): string[] {
  return db()
    .query<DataRow, [string]>("SELECT data FROM part WHERE message_id = ?")
    .all(messageID)
    .map((r) => r.data)
}
