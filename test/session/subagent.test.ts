import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startMockLLM, mockProviderConfig, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"
import { events, text, until } from "../helpers/harness"

// Agents in the loop and the task tool, through the SDK against the mock LLM: what the mock
// receives (system prompt, tools, model, temperature) is the proof each setting is honoured.

let llm: MockLLM
let server: TestServer

beforeAll(async () => {
  llm = await startMockLLM()
  server = await startTestServer({ directory: projectWith({}) })
})
afterAll(async () => {
  await server.stop()
  await llm.stop()
})

const AGENTS = {
  title: { disable: true },
  reviewer: { mode: "subagent", description: "Reviews code for bugs", prompt: "REVIEWER-PROMPT: you review code." },
  custom: {
    mode: "primary",
    model: "mock/other-model",
    temperature: 0.3,
    prompt: "CUSTOM-PROMPT: you are custom.",
    maxSteps: 2,
    tools: { bash: false },
  },
  readonly: { mode: "all", description: "Cannot edit", permission: { edit: "deny", bash: "deny" } },
}

function projectWith(files: Record<string, string>): string {
  const dir = tmpdir("subagent-")
  const cfg: any = mockProviderConfig(llm.url)
  cfg.provider.mock.models["other-model"] = { ...cfg.provider.mock.models["mock-model"], name: "Other Model" }
  cfg.agent = AGENTS
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(cfg, null, 2))
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content)
  return dir
}

const toolNames = (req: any): string[] => (req.tools ?? []).map((t: any) => t.function.name)
const systemOf = (req: any): string => req.messages.filter((m: any) => m.role === "system").map((m: any) => m.content).join("\n")
const toolDescription = (req: any, name: string): string => req.tools.find((t: any) => t.function.name === name)?.function.description ?? ""

async function newSession(dir: string) {
  const c = server.sdk(dir)
  return { c, s: (await c.session.create({ body: {} })).data! }
}

describe("agents in the loop", () => {
  test("build gets every tool; plan gets no editing tools and cannot write", async () => {
    const dir = projectWith({})
    const { c, s } = await newSession(dir)
    const from = llm.requests.length
    llm.enqueue({ text: "hi" })
    await c.session.prompt({ path: { id: s.id }, body: text("hello") })
    const build = toolNames(llm.requests[from])
    for (const id of ["bash", "read", "glob", "grep", "list", "edit", "write", "patch", "multiedit", "webfetch", "todowrite", "todoread", "task"])
      expect(build).toContain(id)

    llm.enqueue({ toolCalls: [{ name: "write", args: { filePath: "plan.md", content: "x" } }] }, { text: "I may not write" })
    const reply = await c.session.prompt({ path: { id: s.id }, body: { ...text("write plan.md"), agent: "plan" } })
    expect(reply.error).toBeUndefined()
    const plan = toolNames(llm.requests[from + 1])
    for (const id of ["edit", "write", "patch", "multiedit"]) expect(plan).not.toContain(id)
    expect(plan).toEqual(expect.arrayContaining(["read", "grep", "bash"]))
    expect(systemOf(llm.requests[from + 1])).toContain("plan")
    const msgs = (await c.session.messages({ path: { id: s.id } })).data!
    const call = msgs.flatMap((m) => m.parts).find((p: any) => p.type === "tool" && p.tool === "write") as any
    expect(call.state.status).toBe("error")
    expect(fs.existsSync(path.join(dir, "plan.md"))).toBe(false)
  })

  test("plan's bash is gated by its permission: a read-only command runs, others ask", async () => {
    const dir = projectWith({ "notes.txt": "plan notes\n" })
    const { c, s } = await newSession(dir)
    const sse = await events(server, dir)
    llm.enqueue({ toolCalls: [{ name: "bash", args: { command: "cat notes.txt", description: "Read notes" } }] }, { toolCalls: [{ name: "bash", args: { command: "touch made.txt", description: "Make a file" } }] })
    await c.session.promptAsync({ path: { id: s.id }, body: { ...text("look"), agent: "plan" } })
    const asked = await sse.next((e) => e.data.type === "permission.updated" && e.data.properties.sessionID === s.id)
    expect(asked.data.properties.pattern).toBe("touch made.txt")
    await c.postSessionIdPermissionsPermissionId({ path: { id: s.id, permissionID: asked.data.properties.id }, body: { response: "reject" } })
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === s.id)
    const tools = (await c.session.messages({ path: { id: s.id } })).data!.flatMap((m) => m.parts).filter((p: any) => p.type === "tool") as any[]
    expect(tools[0].state.status).toBe("completed")
    expect(tools[0].state.output).toContain("plan notes")
    expect(tools[1].state.status).toBe("error")
    expect(fs.existsSync(path.join(dir, "made.txt"))).toBe(false)
    sse.cancel()
  })

  test("a config agent's model, temperature, prompt, maxSteps and tools reach the model", async () => {
    const dir = projectWith({})
    const { c, s } = await newSession(dir)
    const from = llm.requests.length
    llm.enqueue({ toolCalls: [{ name: "list", args: {} }] }, { text: "final answer" })
    const reply = (await c.session.prompt({ path: { id: s.id }, body: { ...text("go"), agent: "custom" } })).data!
    expect((reply.info as any).modelID).toBe("other-model")
    expect((reply.info as any).mode).toBe("custom")
    const [first, second] = llm.requests.slice(from)
    expect(first.model).toBe("other-model")
    expect(first.temperature).toBe(0.3)
    expect(systemOf(first)).toContain("CUSTOM-PROMPT")
    expect(systemOf(first)).not.toContain("You are opencode")
    expect(toolNames(first)).not.toContain("bash")
    expect(toolNames(first)).toContain("list")
    // maxSteps 2: the second step is the last, so the model must answer without tools.
    expect(second.tool_choice).toBe("none")
    expect(llm.requests.length).toBe(from + 2)
  })

  test("a config agent denied edit and bash gets neither; it also works as a subagent target", async () => {
    const dir = projectWith({})
    const { c, s } = await newSession(dir)
    const from = llm.requests.length
    llm.enqueue({ text: "ok" })
    await c.session.prompt({ path: { id: s.id }, body: { ...text("hi"), agent: "readonly" } })
    const names = toolNames(llm.requests[from])
    for (const id of ["edit", "write", "patch", "multiedit", "bash"]) expect(names).not.toContain(id)
    expect(names).toContain("read")
    expect(toolDescription(llm.requests[from], "task")).toContain("- readonly: Cannot edit")
  })
})

describe("the task tool", () => {
  test("runs a config subagent in a child session and hands its answer to the parent", async () => {
    const dir = projectWith({ "a.ts": "export const a = 1\n" })
    const { c, s } = await newSession(dir)
    const sse = await events(server, dir)
    const from = llm.requests.length
    llm.enqueue(
      { toolCalls: [{ name: "task", args: { description: "Review a.ts", prompt: "Review a.ts for bugs", subagent_type: "reviewer" } }] },
      { toolCalls: [{ name: "read", args: { filePath: "a.ts" } }] },
      { text: "CHILD-ANSWER: a.ts looks fine" },
      { text: "The reviewer says it is fine." },
    )
    const reply = (await c.session.prompt({ path: { id: s.id }, body: text("review my code") })).data!
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "The reviewer says it is fine." })

    const [parent1, child1, child2, parent2] = llm.requests.slice(from)
    // The parent sees the subagents, with their descriptions, in the task tool's description.
    const description = toolDescription(parent1, "task")
    expect(description).toContain("- reviewer: Reviews code for bugs")
    expect(description).toContain("- general:")
    expect(description).not.toContain("- build:")
    // The child runs with the subagent's prompt, its own task, and no task or todo tools.
    expect(systemOf(child1)).toContain("REVIEWER-PROMPT")
    expect(JSON.stringify(child1.messages.filter((m: any) => m.role === "user"))).toContain("Review a.ts for bugs")
    expect(JSON.stringify(child1.messages)).not.toContain("review my code")
    expect(toolNames(child1)).not.toContain("task")
    expect(toolNames(child1)).not.toContain("todowrite")
    expect(toolNames(child1)).toContain("read")
    expect(JSON.stringify(child2.messages)).toContain("export const a = 1")
    // The parent's next step reads the child's answer as the tool result.
    const result = parent2.messages.find((m: any) => m.role === "tool")
    expect(result.content).toContain("CHILD-ANSWER: a.ts looks fine")

    const children = (await c.session.children({ path: { id: s.id } })).data!
    expect(children.length).toBe(1)
    expect(children[0].parentID).toBe(s.id)
    expect(children[0].title).toContain("Review a.ts")
    const childMsgs = (await c.session.messages({ path: { id: children[0].id } })).data!
    expect(childMsgs.map((m) => m.info.role)).toEqual(["user", "assistant", "assistant"])
    expect((childMsgs[0].info as any).agent).toBe("reviewer")

    const parts = (await c.session.messages({ path: { id: s.id } })).data!.flatMap((m) => m.parts)
    const task = parts.find((p: any) => p.type === "tool" && p.tool === "task") as any
    expect(task.state.status).toBe("completed")
    expect(task.state.title).toBe("Review a.ts")
    expect(task.state.metadata.sessionId).toBe(children[0].id)
    expect(task.state.metadata.summary).toEqual([expect.objectContaining({ tool: "read", state: expect.objectContaining({ status: "completed" }) })])
    // Progress reached the parent's tool part while the child worked.
    const progress = sse.events.filter(
      (e) => e.data.type === "message.part.updated" && e.data.properties.part.id === task.id && e.data.properties.part.state.status === "running",
    )
    expect(progress.some((e) => e.data.properties.part.state.metadata?.summary?.some((x: any) => x.tool === "read"))).toBe(true)
    sse.cancel()
  })

  test("delegating never widens what the caller may do: plan's subagents cannot edit", async () => {
    const { c, s } = await newSession(projectWith({}))
    const from = llm.requests.length
    llm.enqueue(
      { toolCalls: [{ name: "task", args: { description: "Draft", prompt: "write the file", subagent_type: "general" } }] },
      { text: "I cannot edit here" },
      { toolCalls: [{ name: "task", args: { description: "Look", prompt: "look around", subagent_type: "explore" } }] },
      { text: "found" },
      { text: "plan done" },
    )
    await c.session.prompt({ path: { id: s.id }, body: { ...text("plan it"), agent: "plan" } })
    const [, general, , explore] = llm.requests.slice(from)
    for (const id of ["edit", "write", "patch", "multiedit", "bash"]) expect(toolNames(general)).not.toContain(id)
    expect(toolNames(general)).toContain("read")
    // explore runs under the same read-only shell rules as plan, so it keeps bash.
    expect(toolNames(explore)).toContain("bash")
    expect(toolNames(explore)).not.toContain("write")
  })

  test("an unknown or primary agent is an error the model reads", async () => {
    const { c, s } = await newSession(projectWith({}))
    llm.enqueue({ toolCalls: [{ name: "task", args: { description: "x", prompt: "y", subagent_type: "build" } }] }, { text: "sorry" })
    await c.session.prompt({ path: { id: s.id }, body: text("delegate") })
    const part = (await c.session.messages({ path: { id: s.id } })).data!.flatMap((m) => m.parts).find((p: any) => p.tool === "task") as any
    expect(part.state.status).toBe("error")
    expect(part.state.error).toContain("reviewer")
    expect((await c.session.children({ path: { id: s.id } })).data!.length).toBe(0)
  })

  test("aborting the parent aborts the running child", async () => {
    const dir = projectWith({})
    const { c, s } = await newSession(dir)
    const sse = await events(server, dir)
    llm.enqueue({ toolCalls: [{ name: "task", args: { description: "Slow", prompt: "take forever", subagent_type: "general" } }] }, { hang: true })
    await c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    const child = await until(async () => (await c.session.children({ path: { id: s.id } })).data![0], 5000, "child session")
    await sse.next((e) => e.data.type === "session.status" && e.data.properties.sessionID === child.id && e.data.properties.status.type === "busy")
    await until(() => llm.pending() === 0, 5000, "the child's model call")
    const started = Date.now()
    await c.session.abort({ path: { id: s.id } })
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === child.id, 2000)
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === s.id, 2000)
    expect(Date.now() - started).toBeLessThan(1500)
    const childMsgs = (await c.session.messages({ path: { id: child.id } })).data!
    expect((childMsgs.at(-1)!.info as any).error?.name).toBe("MessageAbortedError")
    const status = (await c.session.status()).data!
    expect(status[child.id]).toBeUndefined()
    sse.cancel()
  })

  test("a subtask input part runs the named agent the same way", async () => {
    const { c, s } = await newSession(projectWith({}))
    const from = llm.requests.length
    llm.enqueue({ text: "FOUND-IT in src/" }, { text: "Thanks, noted." })
    const reply = (
      await c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "subtask", agent: "reviewer", description: "Find it", prompt: "find the thing" }] } })
    ).data!
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "Thanks, noted." })
    const [child, parent] = llm.requests.slice(from)
    expect(systemOf(child)).toContain("REVIEWER-PROMPT")
    expect(JSON.stringify(parent.messages)).toContain("FOUND-IT in src/")
    const children = (await c.session.children({ path: { id: s.id } })).data!
    expect(children.length).toBe(1)
    const task = (await c.session.messages({ path: { id: s.id } })).data!.flatMap((m) => m.parts).find((p: any) => p.tool === "task") as any
    expect(task.state).toMatchObject({ status: "completed", output: "FOUND-IT in src/", metadata: { sessionId: children[0].id } })
  })
})
