import { describe, expect, test } from "bun:test"
import { useHarness, newSession, text } from "../helpers/harness"
import { check118 } from "./shapes-118"

// Session, message and part objects as opencode 1.18.33 sends them (slug, cost and tokens
// totals, agent and model, tokens.total), still valid v1 SDK shapes (test/conformance).

const h = useHarness()

describe("1.18 session, message and part fields", () => {
  test("a session after a tool turn: every object matches 1.18's schema; totals add up", async () => {
    const { c, s } = await newSession(h, { files: { "a.txt": "one\n" } })
    expect((s as any).slug).toMatch(/^[a-z]+-[a-z]+-\d+$/)
    expect(check118("Session", s)).toEqual([])
    // The check itself: 1.18 requires a slug and forbids unknown fields.
    expect(check118("Session", { ...s, slug: undefined })).toEqual(["/ must have required property 'slug'"])
    expect(check118("Session", { ...s, bogus: 1 })).toEqual(["/ must NOT have additional properties 'bogus'"])
    h.llm.enqueue(
      { toolCalls: [{ name: "edit", args: { filePath: "a.txt", oldString: "one", newString: "two" } }], usage: { prompt_tokens: 100, completion_tokens: 20 } },
      { text: "done", usage: { prompt_tokens: 130, completion_tokens: 5 } },
    )
    await c.session.prompt({ path: { id: s.id }, body: { ...text("edit it"), variant: "high" } as any })
    const after = (await c.session.get({ path: { id: s.id } })).data! as any
    expect(check118("Session", after)).toEqual([])
    expect(after.slug).toBe((s as any).slug)
    expect(after.tokens).toEqual({ input: 230, output: 25, reasoning: 0, cache: { read: 0, write: 0 } })
    expect(after.cost).toBeGreaterThan(0)
    expect(after.agent).toBe("build")
    expect(after.model).toEqual({ id: "mock-model", providerID: "mock", variant: "high" })

    const msgs = (await c.session.messages({ path: { id: s.id } })).data!
    let cost = 0
    for (const m of msgs) {
      const schema = m.info.role === "user" ? "UserMessage" : "AssistantMessage"
      expect({ id: m.info.id, errors: check118(schema, m.info) }).toEqual({ id: m.info.id, errors: [] })
      for (const p of m.parts) expect({ part: p.type, errors: check118("Part", p) }).toEqual({ part: p.type, errors: [] })
      if (m.info.role === "assistant") cost += m.info.cost
    }
    expect(after.cost).toBeCloseTo(cost, 10)
    const [user, first] = msgs.map((m) => m.info) as any[]
    expect(user.model).toEqual({ providerID: "mock", modelID: "mock-model", variant: "high" })
    expect(first).toMatchObject({ agent: "build", mode: "build", variant: "high", tokens: { total: 120, input: 100, output: 20 } })
    const finish = msgs[1].parts.find((p) => p.type === "step-finish") as any
    expect(finish.tokens.total).toBe(120)

    const diff = (await c.session.diff({ path: { id: s.id } })).data!
    for (const d of diff) expect(check118("SnapshotFileDiff", { file: d.file, patch: (d as any).patch, additions: d.additions, deletions: d.deletions, status: (d as any).status })).toEqual([])
  })

  test("create with agent, model and metadata; PATCH archives, unarchives and sets metadata", async () => {
    const { c } = await newSession(h)
    const created = await c.session.create({ body: { title: "t", agent: "plan", model: { id: "mock-model", providerID: "mock" }, metadata: { ticket: 7 } } as any })
    expect(created.data).toMatchObject({ agent: "plan", model: { id: "mock-model", providerID: "mock" }, metadata: { ticket: 7 } })
    const id = created.data!.id
    const archived = await c.session.update({ path: { id }, body: { time: { archived: 1234 } } as any })
    expect((archived.data as any).time.archived).toBe(1234)
    expect(check118("Session", archived.data)).toEqual([])
    const back = await c.session.update({ path: { id }, body: { time: { archived: null }, metadata: { ticket: 8 } } as any })
    expect((back.data as any).time.archived).toBeUndefined()
    expect((back.data as any).metadata).toEqual({ ticket: 8 })
  })

  test("permission rules: sent with the session, replaced by PATCH, and enforced", async () => {
    const { c } = await newSession(h)
    const rule = { permission: "webfetch", pattern: "*", action: "ask" }
    const s = (await c.session.create({ body: { permission: [rule] } as any })).data! as any
    expect(s.permission).toEqual([rule])
    expect(check118("Session", s)).toEqual([])
    const denied = await c.session.update({ path: { id: s.id }, body: { permission: [{ permission: "bash", pattern: "*", action: "deny" }] } as any })
    expect((denied.data as any).permission).toEqual([{ permission: "bash", pattern: "*", action: "deny" }])
    h.llm.enqueue({ toolCalls: [{ name: "bash", args: { command: "echo hi", description: "Say hi" } }] }, { text: "could not" })
    await c.session.prompt({ path: { id: s.id }, body: text("say hi") })
    const tool = (await c.session.messages({ path: { id: s.id } })).data!.flatMap((m) => m.parts).find((p) => p.type === "tool") as any
    expect(tool.state.status).toBe("error")
    expect(tool.state.error).toContain("denied")
    const cleared = await c.session.update({ path: { id: s.id }, body: { permission: [] } as any })
    expect((cleared.data as any).permission).toBeUndefined()
  })
})
