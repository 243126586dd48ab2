import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader, seqOf } from "../helpers/sse"
import { gitRepo, gitIn, tmpdir } from "../helpers/tmp"
import { until } from "../helpers/wait"
import { Validator } from "@seriousme/openapi-schema-validator"

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s.stop())

describe("health, project, path", () => {
  test("GET /global/health", async () => {
    const r = await s.fetch("/global/health")
    expect(r.status).toBe(200)
    const body = await r.json()
    expect(body.healthy).toBe(true)
    expect(typeof body.version).toBe("string")
  })

  test("project.current for a non-git directory is the global project", async () => {
    const { data, error } = await s.client.project.current()
    expect(error).toBeUndefined()
    expect(data!.id).toBe("global")
  })

  test("a git repository is identified by its root commit, and listed", async () => {
    const repo = await gitRepo()
    const root = (await gitIn(repo, "rev-list", "--max-parents=0", "HEAD")).trim()
    const { data } = await s.sdk(repo).project.current()
    expect(data!.id).toBe(root)
    expect(data!.worktree).toBe(repo)
    expect(data!.vcs).toBe("git")
    const list = await s.client.project.list()
    expect(list.data!.map((p) => p.id)).toContain(root)
  })

  test("path and vcs", async () => {
    const repo = await gitRepo()
    const sub = path.join(repo, "pkg")
    fs.mkdirSync(sub)
    const p = await s.sdk(sub).path.get()
    expect(p.data!.directory).toBe(sub)
    expect(p.data!.worktree).toBe(repo)
    const v = await s.sdk(repo).vcs.get()
    expect(v.data!.branch).toBe("main")
  })

  test("the directory header scopes a request like ?directory=", async () => {
    const dir = tmpdir()
    const r = await s.fetch("/path", { headers: { "x-opencode-directory": encodeURIComponent(dir) } })
    expect((await r.json()).directory).toBe(dir)
  })

  test("two servers in one process each default to their own directory", async () => {
    const other = await startTestServer()
    try {
      for (let i = 0; i < 2; i++) {
        expect((await (await s.fetch("/path")).json()).directory).toBe(s.directory)
        expect((await (await other.fetch("/path")).json()).directory).toBe(other.directory)
      }
    } finally {
      await other.stop()
    }
  })

  test("a directory that does not exist is a 400 naming it", async () => {
    const r = await s.fetch("/path?directory=" + encodeURIComponent("/no/such/dir"))
    expect(r.status).toBe(400)
    const body = await r.json()
    expect(body.name).toBe("BadRequest")
    expect(body.data.message).toContain("/no/such/dir")
  })
})

describe("errors", () => {
  test("unknown route is a JSON 404", async () => {
    const r = await s.fetch("/definitely/not/here")
    expect(r.status).toBe(404)
    expect((await r.json()).name).toBe("NotFoundError")
  })

  test("malformed JSON is a 400", async () => {
    const r = await s.fetch("/log", { method: "POST", body: "{nope", headers: { "content-type": "application/json" } })
    expect(r.status).toBe(400)
    expect((await r.json()).name).toBe("BadRequest")
  })

  test("a schema violation is a 400 naming the field", async () => {
    const r = await s.fetch("/log", { method: "POST", body: JSON.stringify({ service: "t", level: "loud", message: "m" }), headers: { "content-type": "application/json" } })
    expect(r.status).toBe(400)
    const body = await r.json()
    expect(body.data.message).toContain("level")
  })

  test("POST /log accepts a valid entry", async () => {
    const { data } = await s.client.app.log({ body: { service: "test", level: "info", message: "hello" } })
    expect(data).toBe(true)
  })
})

describe("/doc", () => {
  test("serves a valid OpenAPI 3.1 document with the real operationIds", async () => {
    const r = await s.fetch("/doc", { headers: { accept: "application/json" } })
    expect(r.status).toBe(200)
    const doc = await r.json()
    expect(doc.openapi).toStartWith("3.1")
    const result = await new Validator().validate(doc)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    const ops = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId))
    for (const id of ["global.health", "global.event", "event.subscribe", "project.list", "project.current", "path.get", "vcs.get", "instance.dispose", "app.log"]) expect(ops).toContain(id)
    expect(doc.components.schemas.Event.anyOf.length).toBeGreaterThan(1)
    expect(doc.components.schemas.Project).toBeDefined()
  })

  test("each component name has exactly one shape", async () => {
    const { componentConflicts } = await import("../../src/server/doc")
    await s.fetch("/doc/json")
    expect([...componentConflicts]).toEqual([])
  })

  test("serves an explorer page whose script is local", async () => {
    const html = await (await s.fetch("/doc", { headers: { accept: "text/html" } })).text()
    expect(html).toContain("/doc/scalar.js")
    expect(html).not.toContain("cdn.jsdelivr")
    const js = await s.fetch("/doc/scalar.js")
    expect(js.status).toBe(200)
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(100_000)
  })

  test("every route the server answers is documented", async () => {
    const doc = await (await s.fetch("/doc/json")).json()
    const { createApp } = await import("../../src/server/app")
    const app = createApp()
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]: any) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ":$1")}`)))
    // The web app's files (src/server/routes/web.ts) are not part of the API.
    const hidden = new Set(["/doc", "/doc/json", "/doc/scalar.js", "/assets/*"])
    const missing = app.routes.filter((r) => !hidden.has(r.path) && r.method !== "OPTIONS" && r.method !== "ALL" && !documented.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`)
    expect(missing).toEqual([])
  })
})

describe("events", () => {
  test("/event starts with server.connected, carries ids and scoped bus events", async () => {
    const dir = tmpdir()
    const res = await s.fetch("/event?directory=" + encodeURIComponent(dir))
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    const sse = sseReader(res)
    const first = await sse.next(() => true)
    expect(first.data.type).toBe("server.connected")
    expect(first.id).toMatch(/^[0-9a-z]+-\d+$/)
    await s.sdk(dir).instance.dispose()
    const e = await sse.next((e) => e.data.type === "server.instance.disposed")
    expect(e.data.properties.directory).toBe(dir)
    expect(seqOf(e.id)).toBeGreaterThan(seqOf(first.id))
    sse.cancel()
  })

  test("/event does not leak other directories' events; /global/event wraps them all", async () => {
    const a = tmpdir()
    const b = tmpdir()
    const scoped = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(a)))
    const global = sseReader(await s.fetch("/global/event"))
    await scoped.next(() => true)
    await global.next(() => true)
    await s.sdk(b).instance.dispose()
    await s.sdk(a).instance.dispose()
    const g = await global.next((e) => e.data.payload?.type === "server.instance.disposed" && e.data.directory === b)
    expect(g.data.payload.properties.directory).toBe(b)
    await scoped.next((e) => e.data.type === "server.instance.disposed")
    expect(scoped.events.filter((e) => e.data.type === "server.instance.disposed").map((e) => e.data.properties.directory)).toEqual([a])
    scoped.cancel()
    global.cancel()
  })

  test("reconnecting with Last-Event-ID replays what was missed", async () => {
    const dir = tmpdir()
    const first = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(dir)))
    const hello = await first.next(() => true)
    first.cancel()
    // Published while no client is connected.
    await s.sdk(dir).instance.dispose()
    await s.sdk(dir).instance.dispose()
    const again = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(dir), { headers: { "last-event-id": hello.id! } }))
    const disposed = () => again.events.filter((e) => e.data.type === "server.instance.disposed").length
    await until(() => disposed() >= 2, 2000, "both disposals replayed")
    expect(again.events.filter((e) => e.data.type === "server.instance.disposed").length).toBe(2)
    again.cancel()
  })

  test("a resumed stream's first frame keeps the client's cursor, so a cut before the replay loses nothing", async () => {
    const dir = tmpdir()
    const first = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(dir)))
    const hello = await first.next(() => true)
    first.cancel()
    await s.sdk(dir).instance.dispose()
    const again = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(dir), { headers: { "last-event-id": hello.id! } }))
    const resumedHello = await again.next(() => true)
    expect(resumedHello.data.type).toBe("server.connected")
    expect(resumedHello.id).toBe(hello.id)
    const replayed = await again.next((e) => e.data.type === "server.instance.disposed")
    expect(seqOf(replayed.id)).toBeGreaterThan(seqOf(hello.id))
    again.cancel()
  })

  test("heartbeats carry the id of the last event this client was sent, not other directories' events", async () => {
    const dir = tmpdir()
    const other = tmpdir()
    process.env.OPENCODE_SSE_HEARTBEAT_MS = "30"
    try {
      const sse = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(dir)))
      const hello = await sse.next(() => true)
      await s.sdk(other).instance.dispose()
      const beat = await sse.next((e) => e.data.type === "server.heartbeat")
      expect(beat.id).toBe(hello.id)
      sse.cancel()
    } finally {
      delete process.env.OPENCODE_SSE_HEARTBEAT_MS
    }
  })

  test("vcs.branch.updated when the branch changes", async () => {
    const repo = await gitRepo()
    await s.sdk(repo).vcs.get()
    const sse = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(repo)))
    await sse.next(() => true)
    await gitIn(repo, "checkout", "-q", "-b", "feature")
    const e = await sse.next((e) => e.data.type === "vcs.branch.updated")
    expect(e.data.properties.branch).toBe("feature")
    sse.cancel()
  })
})
