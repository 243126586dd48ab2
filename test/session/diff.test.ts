import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { applyPatch } from "diff"
import { useHarness, project, events, text } from "../helpers/harness"

// GET /session/:id/diff, the session's summary and session.diff events, after real tool runs.

const h = useHarness()

describe("session diff", () => {
  test("whole session and per message: before/after and line counts; summary and session.diff kept up to date", async () => {
    const dir = project(h.llm, { files: { "a.txt": "one\ntwo\nthree\n" } })
    const c = h.server.sdk(dir)
    const s = (await c.session.create({ body: {} })).data!
    const sse = await events(h.server, dir)

    h.llm.enqueue({ toolCalls: [{ name: "read", args: { filePath: "a.txt" } }] }, { toolCalls: [{ name: "edit", args: { filePath: "a.txt", oldString: "two\n", newString: "TWO\n2\n" } }] }, { text: "edited" })
    await c.session.prompt({ path: { id: s.id }, body: text("edit a") })
    const firstEvent = await sse.next((e) => e.data.type === "session.diff" && e.data.properties.sessionID === s.id)
    const [first] = firstEvent.data.properties.diff
    expect(firstEvent.data.properties.diff).toEqual([
      { file: "a.txt", before: "one\ntwo\nthree\n", after: "one\nTWO\n2\nthree\n", additions: 2, deletions: 1, status: "modified", patch: first.patch },
    ])
    // The 1.18 TUI draws only `patch`: a unified diff that turns before into after.
    expect(first.patch).toContain("--- a.txt")
    expect(first.patch).toContain("-two\n+TWO\n+2\n")
    expect(applyPatch(first.before, first.patch)).toBe(first.after)
    expect((await c.session.get({ path: { id: s.id } })).data!.summary).toEqual({ additions: 2, deletions: 1, files: 1 })

    // A turn without file changes publishes no diff and leaves the summary alone.
    h.llm.enqueue({ text: "just talk" })
    await c.session.prompt({ path: { id: s.id }, body: text("chat") })

    h.llm.enqueue({ toolCalls: [{ name: "write", args: { filePath: "b/new.txt", content: "x\ny\n" } }] }, { text: "written" })
    await c.session.prompt({ path: { id: s.id }, body: text("write b") })
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === s.id)
    const diffEvents = sse.events.filter((e) => e.data.type === "session.diff" && e.data.properties.sessionID === s.id)
    expect(diffEvents.length).toBe(2)

    const all = (await c.session.diff({ path: { id: s.id } })).data!
    expect(all.map((d) => d.file).sort()).toEqual(["a.txt", "b/new.txt"])
    const added = all.find((d) => d.file === "b/new.txt") as any
    expect(added).toEqual({ file: "b/new.txt", before: "", after: "x\ny\n", additions: 2, deletions: 0, status: "added", patch: expect.stringContaining("+x\n+y\n") })
    expect(applyPatch("", added.patch)).toBe("x\ny\n")
    expect(diffEvents.at(-1)!.data.properties.diff).toEqual(all)
    expect((await c.session.get({ path: { id: s.id } })).data!.summary).toEqual({ additions: 4, deletions: 1, files: 2 })

    const msgs = (await c.session.messages({ path: { id: s.id } })).data!
    const users = msgs.filter((m) => m.info.role === "user")
    const forFirst = (await c.session.diff({ path: { id: s.id }, query: { messageID: users[0].info.id } })).data!
    expect(forFirst.map((d) => d.file)).toEqual(["a.txt"])
    expect((await c.session.diff({ path: { id: s.id }, query: { messageID: users[1].info.id } })).data).toEqual([])
    const forLast = (await c.session.diff({ path: { id: s.id }, query: { messageID: users[2].info.id } })).data!
    expect(forLast.map((d) => d.file)).toEqual(["b/new.txt"])
    // An assistant message: just its own step.
    const editStep = msgs.find((m) => m.parts.some((p: any) => p.type === "tool" && p.tool === "edit"))!
    expect((await c.session.diff({ path: { id: s.id }, query: { messageID: editStep.info.id } })).data!.map((d) => d.file)).toEqual(["a.txt"])
    sse.cancel()
  })

  test("changes made outside the session's tools are not its diff; unknown ids are 404", async () => {
    const dir = project(h.llm, { files: { "a.txt": "a\n" } })
    const c = h.server.sdk(dir)
    const s = (await c.session.create({ body: {} })).data!
    expect((await c.session.diff({ path: { id: s.id } })).data).toEqual([])
    h.llm.enqueue({ toolCalls: [{ name: "write", args: { filePath: "mine.txt", content: "mine\n" } }] }, { text: "ok" })
    await c.session.prompt({ path: { id: s.id }, body: text("write") })
    fs.writeFileSync(path.join(dir, "a.txt"), "changed by the user\n")
    expect((await c.session.diff({ path: { id: s.id } })).data!.map((d) => d.file)).toEqual(["mine.txt"])
    expect((await c.session.diff({ path: { id: s.id }, query: { messageID: "msg_unknown" } })).response.status).toBe(404)
    expect((await c.session.diff({ path: { id: "ses_unknown" } })).response.status).toBe(404)
  })
})
