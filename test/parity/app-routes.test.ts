import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk/v2"
import { useHarness, newSession, events, text, until, project } from "../helpers/harness"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { specProblems } from "../v2/spec-check"

// The routes opencode 1.18's web and desktop apps call against a server in "v1 mode", through
// the official v2 SDK client, each answer checked against the 1.18.33 spec.

const h = useHarness()
const v2 = (directory?: string) => createOpencodeClient({ baseUrl: h.server.base, ...(directory ? { directory } : {}) })

describe("session lists across projects", () => {
  test("GET /api/session: {data, cursor} pages in creation order both ways; filters; a bad cursor is 400", async () => {
    const a = project(h.llm)
    const b = project(h.llm)
    const made: string[] = []
    for (const dir of [a, a, b, a, b]) made.push((await h.server.sdk(dir).session.create({ body: { title: `t${made.length}` } })).data!.id)
    const c = v2()
    const first = await c.v2.session.list({ limit: 2, order: "desc" })
    expect(specProblems("v2.session.list", first.data)).toEqual([])
    expect(first.data!.data.map((s) => s.id)).toEqual([made[4], made[3]])
    expect(first.data!.data[0]).toMatchObject({ title: "t4", location: { directory: b }, cost: 0 })
    expect(first.data!.cursor.previous).toBeUndefined()
    const second = await c.v2.session.list({ limit: 2, order: "desc", cursor: first.data!.cursor.next })
    expect(second.data!.data.map((s) => s.id)).toEqual([made[2], made[1]])
    const back = await c.v2.session.list({ limit: 2, order: "desc", cursor: second.data!.cursor.previous })
    expect(back.data!.data.map((s) => s.id)).toEqual([made[4], made[3]])
    const asc = await c.v2.session.list({ limit: 3, order: "asc", directory: a })
    expect(asc.data!.data.map((s) => s.id)).toEqual([made[0], made[1], made[3]])
    expect(asc.data!.cursor.next).toBeUndefined()
    const bad = await c.v2.session.list({ cursor: "nope" })
    expect(bad.response.status).toBe(400)
    expect(bad.error).toMatchObject({ _tag: "InvalidCursorError" })
  })

  test("GET /experimental/session: every project's sessions with their project, archived ones only on request", async () => {
    const dir = project(h.llm)
    const c1 = h.server.sdk(dir)
    const kept = (await c1.session.create({ body: { title: "kept-xyz" } })).data!
    const gone = (await c1.session.create({ body: { title: "archived-xyz" } })).data!
    await c1.session.update({ path: { id: gone.id }, body: { time: { archived: Date.now() } } as any })
    const list = await v2().experimental.session.list({ search: "xyz" })
    expect(specProblems("experimental.session.list", list.data)).toEqual([])
    expect(list.data!.map((s) => s.id)).toEqual([kept.id])
    expect(list.data![0].project).toMatchObject({ id: kept.projectID })
    const all = await v2().experimental.session.list({ search: "xyz", archived: true })
    expect(all.data!.map((s) => s.id).sort()).toEqual([kept.id, gone.id].sort())
    const paged = await v2().experimental.session.list({ search: "xyz", archived: true, limit: 1 })
    const rest = await v2().experimental.session.list({ search: "xyz", archived: true, cursor: paged.data![0].time.updated })
    expect([...paged.data!, ...rest.data!].map((s) => s.id).sort()).toEqual([kept.id, gone.id].sort())
  })
})

describe("editing a stored history", () => {
  test("DELETE a message takes its parts and its cost; DELETE and PATCH a part; wrong ids are 404/400", async () => {
    const { dir, c, s } = await newSession(h)
    const sse = await events(h.server, dir)
    h.llm.enqueue({ text: "first answer", usage: { prompt_tokens: 10, completion_tokens: 3 } })
    await c.session.prompt({ path: { id: s.id }, body: text("hello") })
    const [user, reply] = (await c.session.messages({ path: { id: s.id } })).data!
    const client = v2(dir)

    const textPart = user.parts.find((p) => p.type === "text")!
    const edited = await client.part.update({ sessionID: s.id, messageID: user.info.id, partID: textPart.id, part: { ...textPart, text: "hello, edited" } as any })
    expect(edited.response.status).toBe(200)
    expect(specProblems("part.update", edited.data)).toEqual([])
    expect(((await c.session.message({ path: { id: s.id, messageID: user.info.id } })).data!.parts[0] as any).text).toBe("hello, edited")
    const moved = await client.part.update({ sessionID: s.id, messageID: user.info.id, partID: textPart.id, part: { ...textPart, id: "prt_other" } as any })
    expect(moved.response.status).toBe(400)
    expect(JSON.stringify(moved.error)).toContain("'id'")
    const retyped = await client.part.update({ sessionID: s.id, messageID: user.info.id, partID: textPart.id, part: { ...textPart, type: "reasoning", time: { start: 1 } } as any })
    expect(retyped.response.status).toBe(400)

    const finish = reply.parts.find((p) => p.type === "step-finish")!
    expect((await client.part.delete({ sessionID: s.id, messageID: reply.info.id, partID: finish.id })).data).toBe(true)
    await sse.next((e) => e.data.type === "message.part.removed" && e.data.properties.partID === finish.id)
    expect((await client.part.delete({ sessionID: s.id, messageID: reply.info.id, partID: finish.id })).response.status).toBe(404)

    expect(((await c.session.get({ path: { id: s.id } })).data as any).tokens.input).toBe(10)
    const deleted = await client.session.deleteMessage({ sessionID: s.id, messageID: reply.info.id })
    expect(deleted.data).toBe(true)
    await sse.next((e) => e.data.type === "message.removed" && e.data.properties.messageID === reply.info.id)
    expect((await c.session.messages({ path: { id: s.id } })).data!.map((m) => m.info.id)).toEqual([user.info.id])
    expect(((await c.session.get({ path: { id: s.id } })).data as any).tokens.input).toBe(0)
    expect((await client.session.deleteMessage({ sessionID: s.id, messageID: reply.info.id })).response.status).toBe(404)
    sse.cancel()
  })

  test("a running session's history is left alone: 409", async () => {
    const { dir, c, s } = await newSession(h)
    h.llm.enqueue({ hang: true })
    await c.session.promptAsync({ path: { id: s.id }, body: text("wait") })
    const [user] = await until(async () => {
      const m = (await c.session.messages({ path: { id: s.id } })).data!
      return m.length ? m : undefined
    })
    const r = await v2(dir).session.deleteMessage({ sessionID: s.id, messageID: user.info.id })
    expect(r.response.status).toBe(409)
    expect(r.error).toMatchObject({ name: "SessionBusyError" })
    await c.session.abort({ path: { id: s.id } })
  })
})

describe("projects and global settings", () => {
  test("POST /project/git/init makes a plain directory its own git project; PATCH /project/:id names it", async () => {
    const dir = tmpdir("plain-")
    const client = v2(dir)
    const before = (await client.project.current()).data!
    expect(before.id).toBe("global")
    const init = await client.project.initGit()
    expect(init.response.status).toBe(200)
    // vcsDir is the v1 SDK's field, beside 1.18's.
    const { vcsDir, ...as118 } = init.data as any
    expect(vcsDir).toBe(path.join(dir, ".git"))
    expect(specProblems("project.initGit", as118)).toEqual([])
    expect(init.data).toMatchObject({ vcs: "git", worktree: dir })
    expect(fs.existsSync(path.join(dir, ".git"))).toBe(true)
    expect((await client.project.current()).data!.id).toBe(init.data!.id)

    const updated = await client.project.update({ projectID: init.data!.id, name: "Widgets", icon: { color: "blue" }, commands: { start: "bun install" } })
    expect(specProblems("project.update", updated.data)).toEqual([])
    expect(updated.data).toMatchObject({ name: "Widgets", icon: { color: "blue" }, commands: { start: "bun install" }, sandboxes: [] })
    expect((await client.project.current()).data).toMatchObject({ name: "Widgets" })
    expect((await client.project.list()).data!.find((p) => p.id === init.data!.id)).toMatchObject({ name: "Widgets" })
    const missing = await client.project.update({ projectID: "nope", name: "x" })
    expect(missing.response.status).toBe(404)
    expect(missing.error).toMatchObject({ _tag: "ProjectNotFoundError", projectID: "nope" })
  })

  test("GET|PATCH /global/config edit the user's config file, not the project's; POST /global/dispose restarts every instance", async () => {
    const file = path.join(process.env.OPENCODE_CONFIG_DIR!, "opencode.json")
    const existed = fs.existsSync(file)
    const dir = project(h.llm)
    try {
      const client = v2(dir)
      const patched = await client.global.config.update({ config: { layout: "stretch", username: "global-user" } })
      expect(patched.response.status).toBe(200)
      expect(patched.data).toMatchObject({ layout: "stretch", username: "global-user" })
      expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ username: "global-user" })
      expect((await client.global.config.get()).data).toMatchObject({ username: "global-user" })
      // The project's merged config sees it; the global one has none of the project's.
      expect((await h.server.sdk(dir).config.get()).data).toMatchObject({ username: "global-user" })
      expect((await client.global.config.get()).data!.provider).toBeUndefined()
      const bad = await client.global.config.update({ config: { layout: "sideways" } as any })
      expect(bad.response.status).toBe(400)

      const stream = sseReader(await h.server.fetch("/global/event"))
      expect((await client.global.dispose()).data).toBe(true)
      await stream.next((e) => e.data.payload.type === "global.disposed")
      await stream.next((e) => e.data.payload.type === "server.instance.disposed" && e.data.payload.properties.directory === dir)
      stream.cancel()
    } finally {
      if (!existed) fs.rmSync(file, { force: true })
    }
  })
})
