import { afterAll, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk/v2"
import { startTestServer, type TestServer } from "../helpers/server"
import { gitRepo, tmpdir } from "../helpers/tmp"

// GET /session's query (the opencode 1.18 TUI's session list and search): path, scope,
// roots, start, search, limit.

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.stop())

const sdk = (directory: string) => createOpencodeClient({ baseUrl: server.base, directory })

test("path narrows a project to a subtree; roots drops children; search and limit", async () => {
  const repo = await gitRepo({ "pkg/a/x.txt": "x\n", "pkg/b/y.txt": "y\n" })
  const inA = path.join(repo, "pkg/a")
  const inB = path.join(repo, "pkg/b")
  const top = (await sdk(repo).session.create({ title: "Top level work" })).data!
  const a = (await sdk(inA).session.create({ title: "Refactor parser" })).data!
  const child = (await sdk(inA).session.create({ title: "Parser helper", parentID: a.id })).data!
  const b = (await sdk(inB).session.create({ title: "Fix 100% CPU_bug" })).data!
  const ids = (q: Parameters<ReturnType<typeof sdk>["session"]["list"]>[0]) => sdk(repo).session.list(q).then((r) => r.data!.map((s) => s.id).sort())

  expect(await ids({})).toEqual([top.id, a.id, child.id, b.id].sort())
  expect(await ids({ path: "" })).toEqual([top.id, a.id, child.id, b.id].sort())
  expect(await ids({ path: "pkg/a" })).toEqual([a.id, child.id].sort())
  expect(await ids({ path: "pkg" })).toEqual([a.id, child.id, b.id].sort())
  expect(await ids({ path: "pkg/a", roots: true })).toEqual([a.id])
  expect(await ids({ search: "parser" })).toEqual([a.id, child.id].sort())
  // LIKE wildcards in the search text are taken literally.
  expect(await ids({ search: "100%" })).toEqual([b.id])
  expect(await ids({ search: "CPU_b" })).toEqual([b.id])
  expect(await ids({ search: "_" })).toEqual([b.id])
  const newest = (await sdk(repo).session.list({ limit: 2 })).data!
  expect(newest.map((s) => s.id)).toEqual([b.id, child.id])
})

test("start keeps recently updated sessions; scope=project widens a non-git directory to all of them", async () => {
  const x = tmpdir("scope-x-")
  const y = tmpdir("scope-y-")
  const old = (await sdk(x).session.create({ title: "old" })).data!
  await Bun.sleep(5)
  const cut = Date.now()
  await Bun.sleep(5)
  const fresh = (await sdk(x).session.create({ title: "fresh" })).data!
  const other = (await sdk(y).session.create({ title: "elsewhere" })).data!

  const inX = (await sdk(x).session.list({})).data!.map((s) => s.id)
  expect(inX.sort()).toEqual([old.id, fresh.id].sort())
  expect((await sdk(x).session.list({ start: cut })).data!.map((s) => s.id)).toEqual([fresh.id])
  // Outside git a path is relative to the directory itself.
  expect((await sdk(x).session.list({ path: "" })).data!.map((s) => s.id).sort()).toEqual([old.id, fresh.id].sort())
  const all = (await sdk(x).session.list({ scope: "project" })).data!.map((s) => s.id)
  expect(all).toEqual(expect.arrayContaining([old.id, fresh.id, other.id]))
})

test("bad values are a 400 naming the parameter", async () => {
  const dir = tmpdir("bad-")
  fs.mkdirSync(dir, { recursive: true })
  for (const [q, name] of [
    ["scope=everything", "scope"],
    ["limit=-1", "limit"],
    ["start=yesterday", "start"],
    ["roots=maybe", "roots"],
  ]) {
    const r = await server.fetch(`/session?${q}&directory=${encodeURIComponent(dir)}`)
    expect(r.status).toBe(400)
    expect(await r.text()).toContain(name)
  }
})
