import { Database } from "bun:sqlite"
import path from "node:path"
import { Paths, ensureDir } from "../global/paths"
import { migrations } from "./migrations"
import { createLog } from "../util/log"
import { endLease, startLease } from "./lease"

const log = createLog("storage")

let db: Database | undefined

/** The process-wide database, opened on first use under the data directory. */
export function database(): Database {
  if (db) return db
  const dir = ensureDir(Paths.data)
  const file = path.join(dir, "opencode.db")
  db = open(file)
  startLease(db)
  return db
}

export function open(file: string) {
  const d = new Database(file, { create: true, strict: true })
  d.exec("PRAGMA journal_mode = WAL")
  d.exec("PRAGMA synchronous = NORMAL")
  d.exec("PRAGMA foreign_keys = ON")
  d.exec("PRAGMA busy_timeout = 5000")
  migrate(d)
  return d
}

function migrate(d: Database) {
  d.exec("CREATE TABLE IF NOT EXISTS migration (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)")
  const applied = new Set(d.query<{ id: string }, []>("SELECT id FROM migration").all().map((r) => r.id))
  for (const m of migrations) {
    if (applied.has(m.id)) continue
    d.transaction(() => {
      d.exec(m.sql)
      d.query("INSERT INTO migration (id, applied_at) VALUES (?, ?)").run(m.id, Date.now())
    })()
    log.debug("migrated", { id: m.id })
  }
}

export function closeDatabase() {
  if (!db) return
  endLease(db)
  try {
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
  } catch {}
  db.close()
  db = undefined
}

/**
 * Runs fn in one transaction: writes that belong together land together or not at all. It
 * takes the write lock at once: a transaction that read first and wrote later would fail at
 * once (no busy wait) when another process wrote in between.
 */
export function tx<T>(fn: (d: Database) => T): T {
  const d = database()
  return d.transaction(() => fn(d)).immediate()
}
