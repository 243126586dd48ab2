import { test, expect, describe } from "bun:test"
import { useHarness, project, events, text, until } from "../helpers/harness"
import { setTodos } from "../../src/session/todo"
import { database } from "../../src/storage/db"

const h = useHarness()

describe("sessions", () => {
  test("create, get, list (newest first), rename", async () => {
    const dir = project(h.llm)
    const c = h.server.sdk(dir)
    const sse = await events(h.server, dir)
    const a = (await c.session.create({ body: { title: "first" } })).data!
    const b = (await c.session.create({ body: {} })).data!
    expect(a.id).toMatch(/^ses_/)
    expect(a.directory).toBe(dir)
    expect(a.title).toBe("first")
    expect(b.title).toMatch(/^New session - \d{4}-/)
    const created = await sse.next((e) => e.data.type === "session.created" && e.data.properties.info.id === b.id)
    expect(created.data.properties.info.title).toBe(b.title)

    expect((await c.session.get({ path: { id: a.id } })).data).toEqual(a)
    const renamed = (await c.session.update({ path: { id: a.id }, body: { title: "renamed" } })).data!
    expect(renamed.title).toBe("renamed")
    expect(renamed.time.updated).toBeGreaterThan(a.time.updated)
    await sse.next((e) => e.data.type === "session.updated" && e.data.properties.info.title === "renamed")
    // The renamed one was updated last, so it comes first.
    expect((await c.session.list()).data!.map((s) => s.id)).toEqual([a.id, b.id])
    // Another directory outside git sees none of these.
    expect((await h.server.sdk(project(h.llm)).session.list()).data).toEqual([])
    sse.cancel()
  })

  test("accepts the extra fields opencode 1.18 sends on create", async () => {
    const r = await h.server.fetch(`/session?directory=${encodeURIComponent(h.server.directory)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ permission: [{ permission: "question", action: "deny", pattern: "*" }] }),
    })
    expect(r.status).toBe(200)
    expect((await r.json()).id).toMatch(/^ses_/)
  })

  test("unknown ids are 404 NotFoundError; a bad parent is refused", async () => {
    const c = h.server.client
    const r = await c.session.get({ path: { id: "ses_nope" } })
    expect(r.response.status).toBe(404)
    expect((r.error as any).name).toBe("NotFoundError")
    expect((r.error as any).data.message).toContain("ses_nope")
    expect((await c.session.create({ body: { parentID: "ses_nope" } })).response.status).toBe(404)
    expect((await c.session.messages({ path: { id: "ses_nope" } })).response.status).toBe(404)
    expect((await c.session.delete({ path: { id: "ses_nope" } })).response.status).toBe(404)
    expect((await c.session.abort({ path: { id: "ses_nope" } })).data).toBe(false)
  })

  test("children, todo, and delete removing the whole tree", async () => {
    const dir = project(h.llm)
    const c = h.server.sdk(dir)
    const root = (await c.session.create({ body: {} })).data!
    const child = (await c.session.create({ body: { parentID: root.id, title: "child" } })).data!
    const grandchild = (await c.session.create({ body: { parentID: child.id } })).data!
    expect(grandchild.title).toMatch(/^Child session - /)
    expect((await c.session.children({ path: { id: root.id } })).data!.map((s) => s.id)).toEqual([child.id])

    h.llm.enqueue({ text: "one" }, { text: "two" })
    await c.session.prompt({ path: { id: root.id }, body: text("hi") })
    await c.session.prompt({ path: { id: child.id }, body: text("hi") })
    setTodos(dir, root.id, [{ id: "1", content: "do it", status: "pending", priority: "high" }])
    setTodos(dir, child.id, [{ id: "1", content: "sub", status: "pending", priority: "low" }])
    expect((await c.session.todo({ path: { id: root.id } })).data!.map((t) => t.content)).toEqual(["do it"])

    const sse = await events(h.server, dir)
    expect((await c.session.delete({ path: { id: root.id } })).data).toBe(true)
    for (const s of [root, child, grandchild]) {
      await sse.next((e) => e.data.type === "session.deleted" && e.data.properties.info.id === s.id)
      expect((await c.session.get({ path: { id: s.id } })).response.status).toBe(404)
    }
    const db = database()
    for (const id of [root.id, child.id]) {
      expect(db.query("SELECT count(*) AS n FROM message WHERE session_id = ?").get(id)).toEqual({ n: 0 })
      expect(db.query("SELECT count(*) AS n FROM part WHERE session_id = ?").get(id)).toEqual({ n: 0 })
      expect(db.query("SELECT count(*) AS n FROM todo WHERE session_id = ?").get(id)).toEqual({ n: 0 })
    }
    sse.cancel()
  })

  test("fork copies the history before a message into a new session", async () => {
    const dir = project(h.llm)
    const c = h.server.sdk(dir)
    const s = (await c.session.create({ body: { title: "source" } })).data!
    h.llm.enqueue({ text: "first answer" }, { text: "second answer" })
    await c.session.prompt({ path: { id: s.id }, body: text("first") })
    await c.session.prompt({ path: { id: s.id }, body: text("second") })
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    expect(history.length).toBe(4)
    const secondUser = history[2].info

    const forked = (await c.session.fork({ path: { id: s.id }, body: { messageID: secondUser.id } })).data!
    expect(forked.id).not.toBe(s.id)
    expect(forked.title).toBe("source (fork #1)")
    const copy = (await c.session.messages({ path: { id: forked.id } })).data!
    expect(copy.map((m) => m.info.role)).toEqual(["user", "assistant"])
    expect(copy[0].info.id).not.toBe(history[0].info.id)
    expect((copy[1].info as any).parentID).toBe(copy[0].info.id)
    expect(copy[1].parts.find((p) => p.type === "text")).toMatchObject({ text: "first answer", sessionID: forked.id, messageID: copy[1].info.id })

    const whole = (await c.session.fork({ path: { id: s.id }, body: {} })).data!
    expect((await c.session.messages({ path: { id: whole.id } })).data!.length).toBe(4)
    // As 1.18 numbers them: a fork of a fork counts on.
    expect((await c.session.fork({ path: { id: forked.id }, body: {} })).data!.title).toBe("source (fork #2)")
    // The source is untouched.
    expect((await c.session.messages({ path: { id: s.id } })).data).toEqual(history)
    expect((await c.session.fork({ path: { id: s.id }, body: { messageID: "msg_nope" } })).response.status).toBe(404)
  })

  test("messages: limit keeps the newest, single message by id", async () => {
    const dir = project(h.llm)
    const c = h.server.sdk(dir)
    const s = (await c.session.create({ body: {} })).data!
    h.llm.enqueue({ text: "a" }, { text: "b" })
    await c.session.prompt({ path: { id: s.id }, body: text("1") })
    const second = (await c.session.prompt({ path: { id: s.id }, body: text("2") })).data!
    const last2 = (await c.session.messages({ path: { id: s.id }, query: { limit: 2 } })).data!
    expect(last2.map((m) => m.info.role)).toEqual(["user", "assistant"])
    expect(last2[1].info.id).toBe(second.info.id)
    const one = (await c.session.message({ path: { id: s.id, messageID: second.info.id } })).data!
    expect(one).toEqual(last2[1])
    const missing = await c.session.message({ path: { id: s.id, messageID: "msg_nope" } })
    expect(missing.response.status).toBe(404)
    const bad = await h.server.fetch(`/session/${s.id}/message?limit=zero&directory=${encodeURIComponent(dir)}`)
    expect(bad.status).toBe(400)
  })

  test("status lists busy sessions only", async () => {
    const dir = project(h.llm)
    const c = h.server.sdk(dir)
    const s = (await c.session.create({ body: {} })).data!
    expect((await c.session.status()).data).toEqual({})
    h.llm.enqueue({ text: "slow", delay: 150 })
    await c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    expect((await c.session.status()).data).toEqual({ [s.id]: { type: "busy" } })
    await until(async () => Object.keys((await c.session.status()).data!).length === 0, 5000, "idle")
  })
})
