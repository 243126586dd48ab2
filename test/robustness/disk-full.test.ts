import { afterAll, expect, test } from "bun:test"
import { Database } from "bun:sqlite"
import fs from "node:fs"
import path from "node:path"
import { reap, type ServeProcess } from "../cli/serve-process"
import { tmpdir } from "../helpers/tmp"
import { childServer } from "./lib"

// The data directory on a small filesystem of its own (tmpfs), filled up under a running
// server: each write is refused with a 503 saying why, nothing is half-written, reads go on,
// and writes work again once there is space. A read-only one stops start-up with a clear
// error. Needs root (mount); where mounting is not allowed the test is skipped and says so.

const mnt = tmpdir("datafs-")
const mounted = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt]).exitCode === 0
if (!mounted) console.warn("disk-full.test.ts: skipped, cannot mount a tmpfs here (needs root)")
const procs: ServeProcess[] = []
afterAll(() => {
  reap(procs)
  if (mounted) Bun.spawnSync(["umount", "-l", mnt])
})

function fill(file: string) {
  const fd = fs.openSync(file, "w")
  const chunk = Buffer.alloc(64 * 1024, 1)
  try {
    while (true) fs.writeSync(fd, chunk)
  } catch (e: any) {
    if (e.code !== "ENOSPC") throw e
  } finally {
    fs.closeSync(fd)
  }
}

test.skipIf(!mounted)("data directory full: writes are a 503 saying so, reads go on, nothing corrupted, writes work again once there is space", async () => {
  const dir = tmpdir()
  const server = await childServer(dir, mnt, procs)
  const c = server.sdk(dir)
  expect((await c.session.create({ body: { title: "before" } })).response.status).toBe(200)

  const filler = path.join(mnt, "filler")
  fill(filler)
  const statuses: number[] = []
  for (let i = 0; i < 5; i++) {
    const r = await c.session.create({ body: { title: `full ${i} ${"x".repeat(400_000)}` } })
    statuses.push(r.response.status)
    if (r.response.status !== 200) {
      expect(r.response.status).toBe(503)
      expect((r.error as any).name).toBe("StorageError")
      expect((r.error as any).data.message).toContain("the disk is full")
    }
  }
  expect(statuses).toContain(503)
  // Still serving what is stored.
  const listed = await c.session.list()
  expect(listed.response.status).toBe(200)
  expect(listed.data!.map((s) => s.title)).toContain("before")

  fs.rmSync(filler)
  expect((await c.session.create({ body: { title: "after space returned" } })).response.status).toBe(200)

  const titles = (await c.session.list()).data!.map((s) => s.title)
  expect(titles).toContain("before")
  expect(titles).toContain("after space returned")
  expect(await server.signal("SIGTERM")).toMatchObject({ code: 0 })
  const db = new Database(path.join(mnt, "opencode.db"), { readonly: true })
  expect(db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()!.integrity_check).toBe("ok")
  db.close()
}, 60_000)

test.skipIf(!mounted)("a read-only data directory: the server refuses to start and says why; the data is untouched", async () => {
  const ro = tmpdir("ro-")
  expect(Bun.spawnSync(["mount", "--bind", mnt, ro]).exitCode).toBe(0)
  try {
    expect(Bun.spawnSync(["mount", "-o", "remount,bind,ro", ro]).exitCode).toBe(0)
    const before = fs.readFileSync(path.join(mnt, "opencode.db"))
    const started = await childServer(tmpdir(), ro, procs).then(
      () => "started",
      (e: Error) => e.message,
    )
    expect(started).toContain("exited with 1")
    expect(started).toContain(`could not start the server: cannot use the data directory ${ro}`)
    expect(started).toContain("readonly")
    expect(fs.readFileSync(path.join(mnt, "opencode.db")).equals(before)).toBe(true)
  } finally {
    Bun.spawnSync(["umount", "-l", ro])
  }
}, 60_000)
