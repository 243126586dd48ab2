import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startMockLLM, mockProviderConfig, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { gitRepo, tmpdir } from "../helpers/tmp"
import { events, text } from "../helpers/harness"

// Revert and unrevert through the SDK, in a git project and in a plain directory: the files
// must come back byte for byte, and the reverted turns must never reach the model again.

let llm: MockLLM
let server: TestServer

beforeAll(async () => {
  llm = await startMockLLM()
  server = await startTestServer({ directory: tmpdir("revert-") })
})
afterAll(async () => {
  await server.stop()
  await llm.stop()
})

// CRLF, a NUL and bytes that are not UTF-8: anything lossy in the round trip shows.
const ORIGINAL = Buffer.from([0x6f, 0x6c, 0x64, 0x0d, 0x0a, 0x00, 0xff, 0xfe, 0x0a])

function configure(dir: string) {
  const cfg = { ...mockProviderConfig(llm.url), agent: { title: { disable: true } } }
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(cfg))
  fs.writeFileSync(path.join(dir, "keep.bin"), ORIGINAL)
  return dir
}

const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel))
const exists = (dir: string, rel: string) => fs.existsSync(path.join(dir, rel))
const writeCalls = (files: Record<string, string>) => ({ toolCalls: Object.entries(files).map(([filePath, content]) => ({ name: "write", args: { filePath, content } })) })

for (const kind of ["git", "non-git"] as const) {
  describe(`revert in a ${kind} project`, () => {
    test("revert restores byte for byte and deletes created files; unrevert re-applies; the next prompt drops the turn", async () => {
      const dir = configure(kind === "git" ? await gitRepo({ "README.md": "hi\n" }) : tmpdir("plain-"))
      expect(exists(dir, ".git")).toBe(kind === "git")
      const c = server.sdk(dir)
      const s = (await c.session.create({ body: {} })).data!
      const sse = await events(server, dir)

      llm.enqueue({ text: "kept answer" })
      await c.session.prompt({ path: { id: s.id }, body: text("first, harmless") })
      llm.enqueue(writeCalls({ "keep.bin": "overwritten\n", "sub/created.txt": "brand new\n" }), { text: "REVERTED-ANSWER" })
      await c.session.prompt({ path: { id: s.id }, body: text("REVERTED-PROMPT: change files") })
      expect(read(dir, "keep.bin").toString()).toBe("overwritten\n")
      expect(read(dir, "sub/created.txt").toString()).toBe("brand new\n")

      const history = (await c.session.messages({ path: { id: s.id } })).data!
      const target = history[2]
      expect(target.info.role).toBe("user")
      const step = history[3].parts
      const start = step.find((p) => p.type === "step-start") as any
      const finish = step.find((p) => p.type === "step-finish") as any
      const patch = step.find((p) => p.type === "patch") as any
      expect(start.snapshot).toMatch(/^[0-9a-f]{40}$/)
      expect(finish.snapshot).toMatch(/^[0-9a-f]{40}$/)
      expect(finish.snapshot).not.toBe(start.snapshot)
      expect(patch.files.sort()).toEqual([path.join(dir, "keep.bin"), path.join(dir, "sub/created.txt")])

      // Reverting an assistant message reverts its whole turn, from the user message.
      const reverted = await c.session.revert({ path: { id: s.id }, body: { messageID: history[3].info.id } })
      expect(reverted.error).toBeUndefined()
      expect(reverted.data!.revert).toMatchObject({ messageID: target.info.id, snapshot: expect.stringMatching(/^[0-9a-f]{40}$/) })
      expect(reverted.data!.revert!.diff).toContain("sub/created.txt")
      expect(read(dir, "keep.bin").equals(ORIGINAL)).toBe(true)
      expect(exists(dir, "sub/created.txt")).toBe(false)
      // Still listed (clients hide them), and no longer counted in the session's changes.
      expect((await c.session.messages({ path: { id: s.id } })).data!.length).toBe(history.length)
      expect((await c.session.diff({ path: { id: s.id } })).data).toEqual([])
      expect((await c.session.get({ path: { id: s.id } })).data!.summary).toMatchObject({ files: 0 })

      const restored = await c.session.unrevert({ path: { id: s.id } })
      expect(restored.data!.revert).toBeUndefined()
      expect(read(dir, "keep.bin").toString()).toBe("overwritten\n")
      expect(read(dir, "sub/created.txt").toString()).toBe("brand new\n")
      expect((await c.session.diff({ path: { id: s.id } })).data!.map((d) => d.file).sort()).toEqual(["keep.bin", "sub/created.txt"])

      await c.session.revert({ path: { id: s.id }, body: { messageID: target.info.id } })
      expect(read(dir, "keep.bin").equals(ORIGINAL)).toBe(true)
      const from = llm.requests.length
      llm.enqueue({ text: "fresh start" })
      await c.session.prompt({ path: { id: s.id }, body: text("second try") })
      const seen = JSON.stringify(llm.requests[from].messages)
      expect(seen).toContain("first, harmless")
      expect(seen).toContain("kept answer")
      expect(seen).not.toContain("REVERTED")
      const after = (await c.session.messages({ path: { id: s.id } })).data!
      expect(after.map((m) => m.info.id).slice(0, 2)).toEqual(history.slice(0, 2).map((m) => m.info.id))
      expect(after.length).toBe(4)
      expect(JSON.stringify(after)).not.toContain("REVERTED")
      const removed = sse.events.filter((e) => e.data.type === "message.removed" && e.data.properties.sessionID === s.id).map((e) => e.data.properties.messageID)
      expect(removed.sort()).toEqual(history.slice(2).map((m) => m.info.id).sort())
      expect((await c.session.get({ path: { id: s.id } })).data!.revert).toBeUndefined()
      // Discarded for good: nothing left to unrevert.
      await c.session.unrevert({ path: { id: s.id } })
      expect(read(dir, "keep.bin").equals(ORIGINAL)).toBe(true)
      expect(exists(dir, "sub/created.txt")).toBe(false)
      sse.cancel()
    })
  })
}

describe("revert details", () => {
  test("a part inside a reply: only what follows it is undone, and only those parts are dropped", async () => {
    const dir = configure(tmpdir("part-"))
    const c = server.sdk(dir)
    const s = (await c.session.create({ body: {} })).data!
    const sse = await events(server, dir)
    llm.enqueue(writeCalls({ "x.txt": "v1\n" }), { text: "Now version two.", ...writeCalls({ "x.txt": "v2\n" }) }, { text: "done" })
    await c.session.prompt({ path: { id: s.id }, body: text("write x twice") })
    expect(read(dir, "x.txt").toString()).toBe("v2\n")
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    const second = history[2]
    const tool = second.parts.find((p) => p.type === "tool")!
    const r = await c.session.revert({ path: { id: s.id }, body: { messageID: second.info.id, partID: tool.id } })
    expect(r.data!.revert).toMatchObject({ messageID: second.info.id, partID: tool.id })
    expect(read(dir, "x.txt").toString()).toBe("v1\n")

    llm.enqueue({ text: "continuing" })
    await c.session.prompt({ path: { id: s.id }, body: text("go on") })
    const after = (await c.session.messages({ path: { id: s.id } })).data!
    const kept = after.find((m) => m.info.id === second.info.id)!
    expect(kept.parts.map((p) => p.type)).toEqual(["step-start", "text"])
    expect(after.some((m) => m.info.id === history[3].info.id)).toBe(false)
    const removedParts = sse.events.filter((e) => e.data.type === "message.part.removed" && e.data.properties.messageID === second.info.id)
    expect(removedParts.map((e) => e.data.properties.partID)).toContain(tool.id)
    sse.cancel()
  })

  test("reverting again moves the point, backwards and forwards, exactly", async () => {
    const dir = configure(tmpdir("move-"))
    fs.writeFileSync(path.join(dir, "f.txt"), "orig\n")
    const c = server.sdk(dir)
    const s = (await c.session.create({ body: {} })).data!
    llm.enqueue(writeCalls({ "f.txt": "t1\n", "g.txt": "g1\n" }), { text: "one" })
    await c.session.prompt({ path: { id: s.id }, body: text("turn one") })
    llm.enqueue(writeCalls({ "f.txt": "t2\n" }), { text: "two" })
    await c.session.prompt({ path: { id: s.id }, body: text("turn two") })
    const [turn1, , , turn2] = (await c.session.messages({ path: { id: s.id } })).data!
    expect(turn2.info.role).toBe("user")

    await c.session.revert({ path: { id: s.id }, body: { messageID: turn2.info.id } })
    expect(read(dir, "f.txt").toString()).toBe("t1\n")
    await c.session.revert({ path: { id: s.id }, body: { messageID: turn1.info.id } })
    expect(read(dir, "f.txt").toString()).toBe("orig\n")
    expect(exists(dir, "g.txt")).toBe(false)
    await c.session.revert({ path: { id: s.id }, body: { messageID: turn2.info.id } })
    expect(read(dir, "f.txt").toString()).toBe("t1\n")
    expect(read(dir, "g.txt").toString()).toBe("g1\n")
    expect((await c.session.diff({ path: { id: s.id } })).data!.map((d) => d.file).sort()).toEqual(["f.txt", "g.txt"])
    const back = await c.session.unrevert({ path: { id: s.id } })
    expect(back.data!.revert).toBeUndefined()
    expect(read(dir, "f.txt").toString()).toBe("t2\n")
    expect(read(dir, "g.txt").toString()).toBe("g1\n")
  })

  test("busy session: 409; unknown message: 404", async () => {
    const dir = configure(tmpdir("busy-"))
    const c = server.sdk(dir)
    const s = (await c.session.create({ body: {} })).data!
    llm.enqueue({ text: "one" })
    await c.session.prompt({ path: { id: s.id }, body: text("one") })
    const first = (await c.session.messages({ path: { id: s.id } })).data![0]
    const missing = await c.session.revert({ path: { id: s.id }, body: { messageID: "msg_nope" } })
    expect(missing.response.status).toBe(404)
    const missingPart = await c.session.revert({ path: { id: s.id }, body: { messageID: first.info.id, partID: "prt_nope" } })
    expect(missingPart.response.status).toBe(404)

    llm.enqueue({ hang: true })
    await c.session.promptAsync({ path: { id: s.id }, body: text("hang") })
    const busy = await c.session.revert({ path: { id: s.id }, body: { messageID: first.info.id } })
    expect(busy.response.status).toBe(409)
    expect((busy.error as any).name).toBe("SessionBusyError")
    expect((await c.session.unrevert({ path: { id: s.id } })).response.status).toBe(409)
    await c.session.abort({ path: { id: s.id } })
  })
})
