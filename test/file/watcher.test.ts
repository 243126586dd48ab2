import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { gitRepo, gitIn, tmpdir } from "../helpers/tmp"
import { until } from "../helpers/wait"
import { getInstance } from "../../src/project/instance"
import { watcherOf } from "../../src/file"
import { ProjectWatcher, type Change } from "../../src/file/watcher"
import { IgnoreRules } from "../../src/file/ignore"

let s: TestServer
let repo: string
let events: ReturnType<typeof sseReader>
beforeAll(async () => {
  repo = await gitRepo({ "README.md": "hi\n", ".gitignore": "ignored/\n*.log\n", "src/a.ts": "a\n" })
  fs.mkdirSync(path.join(repo, "ignored"))
  fs.mkdirSync(path.join(repo, "node_modules/pkg"), { recursive: true })
  s = await startTestServer({ directory: repo })
  const res = await s.fetch(`/event?directory=${encodeURIComponent(repo)}`)
  events = sseReader(res)
  await events.next((e) => e.data.type === "server.connected")
  await watcherOf(await getInstance(repo))!.ready
})
afterAll(async () => {
  events.cancel()
  await s.stop()
})

const watched = (file: string, event?: string) => (e: { data: any }) =>
  e.data.type === "file.watcher.updated" && e.data.properties.file === file && (!event || e.data.properties.event === event)
const fileEvents = () => events.events.filter((e) => e.data.type === "file.watcher.updated").map((e) => e.data.properties)

describe("file.watcher.updated over /event", () => {
  test("add, change and unlink of a file, with its absolute path", async () => {
    const f = path.join(repo, "src/new.ts")
    fs.writeFileSync(f, "1")
    await events.next(watched(f, "add"))
    await Bun.sleep(80)
    fs.appendFileSync(f, "2")
    await events.next(watched(f, "change"))
    fs.rmSync(f)
    await events.next(watched(f, "unlink"))
  })

  test("a new directory and what is created inside it at once", async () => {
    const dir = path.join(repo, "pkg/deep")
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, "x.ts"), "x")
    await events.next(watched(path.join(repo, "pkg"), "add"))
    await events.next(watched(path.join(dir, "x.ts"), "add"))
    // The new directory is watched too.
    fs.writeFileSync(path.join(dir, "y.ts"), "y")
    await events.next(watched(path.join(dir, "y.ts"), "add"))
  })

  test("nothing for ignored paths, node_modules or .git internals", async () => {
    const before = events.events.length
    fs.writeFileSync(path.join(repo, "ignored/secret.txt"), "x")
    fs.writeFileSync(path.join(repo, "debug.log"), "x")
    fs.writeFileSync(path.join(repo, "node_modules/pkg/index.js"), "x")
    await gitIn(repo, "add", "README.md")
    const sentinel = path.join(repo, "sentinel.txt")
    fs.writeFileSync(sentinel, "x")
    await events.next(watched(sentinel, "add"))
    await Bun.sleep(100)
    const seen = events.events.slice(before).filter((e) => e.data.type === "file.watcher.updated").map((e) => e.data.properties.file)
    expect(seen).toEqual([sentinel])
  })

  test("a changed .gitignore applies at once", async () => {
    fs.writeFileSync(path.join(repo, ".gitignore"), "ignored/\n*.log\n*.tmp\n")
    await events.next(watched(path.join(repo, ".gitignore"), "change"))
    fs.writeFileSync(path.join(repo, "scratch.tmp"), "x")
    const sentinel = path.join(repo, "sentinel2.txt")
    fs.writeFileSync(sentinel, "x")
    await events.next(watched(sentinel, "add"))
    await Bun.sleep(100)
    expect(fileEvents().some((p) => p.file.endsWith("scratch.tmp"))).toBe(false)
  })
})

describe("ProjectWatcher", () => {
  test("never watches ignored directories, and stops on close", async () => {
    const dir = tmpdir("watch-")
    for (const d of ["a/b", "c", "node_modules/x/y/z", "dist/q"]) fs.mkdirSync(path.join(dir, d), { recursive: true })
    const w = new ProjectWatcher(dir, new IgnoreRules(dir, dir, false, { heavy: true }), { recursive: false })
    await w.ready
    expect(w.watchedDirectories).toBe(4) // root, a, a/b, c
    const seen: Change[] = []
    w.on((c) => seen.push(...c))
    fs.writeFileSync(path.join(dir, "a/b/f.txt"), "x")
    await until(() => seen.length, 3000, "a change reported")
    expect(seen).toEqual([{ rel: "a/b/f.txt", event: "add", dir: false }])
    w.close()
    fs.writeFileSync(path.join(dir, "c/g.txt"), "x")
    await Bun.sleep(120)
    expect(seen.length).toBe(1)
  })

  test("a file created and deleted within one window is not reported", async () => {
    const dir = tmpdir("watch-")
    const w = new ProjectWatcher(dir, new IgnoreRules(dir, dir, false), { recursive: false })
    await w.ready
    const seen: Change[] = []
    w.on((c) => seen.push(...c))
    fs.writeFileSync(path.join(dir, "swap.tmp"), "x")
    fs.rmSync(path.join(dir, "swap.tmp"))
    fs.writeFileSync(path.join(dir, "real.txt"), "x")
    await until(() => seen.length, 3000, "a change reported")
    expect(seen).toEqual([{ rel: "real.txt", event: "add", dir: false }])
    w.close()
  })
})
