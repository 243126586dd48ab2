import { test, expect, describe } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { resolveAgents } from "../../src/agent/agent"
import { approvals } from "../../src/permission/store"
import { useHarness, project, events, text, until } from "../helpers/harness"

const h = useHarness()

const bash = (command: string) => ({ toolCalls: [{ name: "bash", args: { command, description: "Run it" } }] })

/** POST /session as opencode 1.18 sends it (the v1 SDK has no `permission` field). */
async function createSession(dir: string, body: Record<string, unknown>) {
  const res = await h.server.fetch(`/session?directory=${encodeURIComponent(dir)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as { id: string }
}

async function tools(dir: string, sessionID: string) {
  const msgs = (await h.server.sdk(dir).session.messages({ path: { id: sessionID } })).data!
  return msgs.flatMap((m) => m.parts).filter((p) => p.type === "tool") as any[]
}

describe("per-session permission rules (opencode 1.18)", () => {
  test("a session's rules deny a tool that config allows; the last matching rule decides", async () => {
    const dir = project(h.llm)
    const s = await createSession(dir, {
      permission: [
        { permission: "question", action: "deny", pattern: "*" },
        { permission: "bash", action: "deny", pattern: "*" },
        { permission: "bash", action: "allow", pattern: "echo *" },
      ],
    })
    h.llm.enqueue(bash("touch made.txt"), bash("echo allowed"), { text: "done" })
    await h.server.sdk(dir).session.prompt({ path: { id: s.id }, body: text("go") })
    const [denied, allowed] = await tools(dir, s.id)
    expect(denied.state.status).toBe("error")
    expect(denied.state.error).toContain("Permission denied")
    expect(fs.existsSync(path.join(dir, "made.txt"))).toBe(false)
    expect(allowed.state.status).toBe("completed")
    expect(allowed.state.output).toContain("allowed")
  })

  test("a child session is bound by its parent's rules; a session without rules is not", async () => {
    const dir = project(h.llm)
    const parent = await createSession(dir, { permission: [{ permission: "bash", action: "deny", pattern: "*" }] })
    const child = await createSession(dir, { parentID: parent.id })
    h.llm.enqueue(bash("echo child"), { text: "ok" })
    await h.server.sdk(dir).session.prompt({ path: { id: child.id }, body: text("go") })
    expect((await tools(dir, child.id))[0].state.status).toBe("error")

    const free = await createSession(dir, {})
    h.llm.enqueue(bash("echo free"), { text: "ok" })
    await h.server.sdk(dir).session.prompt({ path: { id: free.id }, body: text("go") })
    expect((await tools(dir, free.id))[0].state.status).toBe("completed")
  })

  test("malformed rules are a 400 naming the field", async () => {
    const res = await h.server.fetch(`/session?directory=${encodeURIComponent(project(h.llm))}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ permission: [{ permission: "bash", action: "maybe", pattern: "*" }] }),
    })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain("permission")
  })
})

test("deleting a session rejects its pending request and forgets its approvals", async () => {
  const dir = project(h.llm, { extra: { permission: { bash: "ask" } } })
  const c = h.server.sdk(dir)
  const s = (await c.session.create({ body: {} })).data!
  const sse = await events(h.server, dir)
  h.llm.enqueue(bash("echo one"), bash("echo two"))
  await c.session.promptAsync({ path: { id: s.id }, body: text("go") })
  const first = await sse.next((e) => e.data.type === "permission.updated" && e.data.properties.sessionID === s.id)
  await c.postSessionIdPermissionsPermissionId({ path: { id: s.id, permissionID: first.data.properties.id }, body: { response: "always" } })
  const second = await sse.next((e) => e.data.type === "permission.updated" && e.data.properties.id !== first.data.properties.id)
  expect(approvals(s.id).length).toBeGreaterThan(0)
  expect((await c.session.delete({ path: { id: s.id } })).data).toBe(true)
  await sse.next((e) => e.data.type === "permission.replied" && e.data.properties.permissionID === second.data.properties.id)
  expect(approvals(s.id)).toEqual([])
  await until(async () => (await h.server.fetch("/permission?directory=" + encodeURIComponent(dir)).then((r) => r.json())).length === 0)
  sse.cancel()
})

describe("agent permissions from config", () => {
  test('a config string ("permission": "ask") reaches every agent', () => {
    const agents = resolveAgents({ permission: "ask" } as any)
    for (const name of ["build", "plan", "general"]) {
      const a = agents.find((x) => x.name === name)!
      expect(a.permission.edit).toBe("ask")
      expect(a.permission.bash).toEqual({ "*": "ask" })
      expect(a.permission.webfetch).toBe("ask")
    }
  })

  test("config wins over built-in defaults; an agent's own config wins over config", () => {
    const agents = resolveAgents({ permission: { "*": "deny", edit: "allow" }, agent: { plan: { permission: { bash: { "git *": "allow" } } } } } as any)
    const build = agents.find((a) => a.name === "build")!
    expect(build.permission.edit).toBe("allow")
    expect(build.permission.bash).toEqual({ "*": "deny" })
    expect(build.permission.webfetch).toBe("deny")
    const plan = agents.find((a) => a.name === "plan")!
    expect(plan.permission.edit).toBe("allow")
    expect(plan.permission.bash).toEqual({ "*": "deny", "git *": "allow" })
  })

  test('"permission": "ask" in config makes a bash call ask in the loop', async () => {
    const dir = project(h.llm, { extra: { permission: "ask" } })
    const c = h.server.sdk(dir)
    const s = (await c.session.create({ body: {} })).data!
    const sse = await events(h.server, dir)
    h.llm.enqueue(bash("echo hi"), { text: "done" })
    await c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    const asked = await sse.next((e) => e.data.type === "permission.updated" && e.data.properties.sessionID === s.id)
    expect(asked.data.properties.type).toBe("bash")
    await c.postSessionIdPermissionsPermissionId({ path: { id: s.id, permissionID: asked.data.properties.id }, body: { response: "once" } })
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === s.id)
    expect((await tools(dir, s.id))[0].state.status).toBe("completed")
    sse.cancel()
  })
})
