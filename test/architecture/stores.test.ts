import { expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"

const src = path.join(import.meta.dir, "..", "..", "src")

// All SQL lives in per-domain store modules (`store.ts`, or `<table>-store.ts` where one
// domain's store would outgrow a file) and in src/storage/ (opening, migrations, the process
// lease). Domain logic calls store functions and never writes a query itself.
const SQL = /\bSELECT\s+(?:DISTINCT\s+)?[\w*(]|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b/

const isStore = (f: string) => f.startsWith("storage/") || /(?:^|\/)(?:[\w-]+-)?store\.ts$/.test(f)

function sources(): string[] {
  return [...new Bun.Glob("**/*.{ts,tsx}").scanSync(src)].map((f) => f.split(path.sep).join("/"))
}

test("SQL appears only in store modules and src/storage/", () => {
  const offenders = sources()
    .filter((f) => !isStore(f))
    .filter((f) => SQL.test(fs.readFileSync(path.join(src, f), "utf8")))
  expect(offenders).toEqual([])
})

test("the SQL scan recognises each kind of statement and the store names", () => {
  for (const q of ["SELECT data FROM part", "SELECT * FROM project", "SELECT DISTINCT owner FROM x", "INSERT INTO todo (a) VALUES (?)", "INSERT OR REPLACE INTO process", "UPDATE project SET data = ?", "DELETE FROM share WHERE id = ?"])
    expect(SQL.test(`db.query("${q}")`)).toBe(true)
  expect(SQL.test('const UPDATE = "*** Update File: "')).toBe(false)
  expect(isStore("session/store.ts")).toBe(true)
  expect(isStore("session/message-store.ts")).toBe(true)
  expect(isStore("storage/lease.ts")).toBe(true)
  expect(isStore("session/recover.ts")).toBe(false)
  expect(isStore("session/restore.ts")).toBe(false)
  // Stores exist where the scan expects them: the test would pass vacuously otherwise.
  const stores = sources().filter(isStore)
  expect(stores).toEqual(expect.arrayContaining(["session/store.ts", "permission/store.ts", "project/store.ts", "share/store.ts", "storage/db.ts"]))
})
