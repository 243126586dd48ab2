import { test, expect, describe } from "bun:test"
import { useHarness, project, text, until } from "../helpers/harness"

const h = useHarness()

describe("prompt options", () => {
  test("agent override: the reply runs as that agent, with its tools", async () => {
    const c = h.server.sdk(project(h.llm))
    const s = (await c.session.create({ body: {} })).data!
    h.llm.enqueue({ text: "a plan" })
    const reply = (await c.session.prompt({ path: { id: s.id }, body: { ...text("plan it"), agent: "plan" } })).data!
    expect((reply.info as any).mode).toBe("plan")
    const user = (await c.session.messages({ path: { id: s.id } })).data![0].info as any
    expect(user.agent).toBe("plan")
    expect(user.model).toEqual({ providerID: "mock", modelID: "mock-model" })
    const tools = h.llm.requests.at(-1).tools.map((t: any) => t.function.name)
    expect(tools).toContain("read")
    expect(tools).not.toContain("edit")
  })

  test("the step limit ends the loop with a tool-less answer", async () => {
    const c = h.server.sdk(project(h.llm, { extra: { agent: { title: { disable: true }, build: { maxSteps: 2 } } } }))
    const s = (await c.session.create({ body: {} })).data!
    h.llm.enqueue({ toolCalls: [{ name: "list", args: {} }] }, { toolCalls: [{ name: "list", args: {} }] })
    const reply = (await c.session.prompt({ path: { id: s.id }, body: text("loop forever") })).data!
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    expect(history.filter((m) => m.info.role === "assistant").length).toBe(2)
    const last = h.llm.requests.at(-1)
    expect(last.tool_choice).toBe("none")
    expect(JSON.stringify(last.messages.at(-1))).toContain("maximum number of steps")
    expect(reply.parts.some((p) => p.type === "tool" && p.state.status === "completed")).toBe(false)
  })

  test("a subtask part runs in a child session; the parent's model sees its answer", async () => {
    const c = h.server.sdk(project(h.llm))
    const s = (await c.session.create({ body: {} })).data!
    h.llm.enqueue({ text: "the child found three files" }, { text: "parent summary" })
    const reply = (
      await c.session.prompt({
        path: { id: s.id },
        body: { parts: [{ type: "subtask", prompt: "count the files", description: "Count files", agent: "general" }] },
      })
    ).data!
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "parent summary" })
    const children = (await c.session.children({ path: { id: s.id } })).data!
    expect(children.length).toBe(1)
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    const task = history.flatMap((m) => m.parts).find((p) => p.type === "tool") as any
    expect(task.tool).toBe("task")
    expect(task.state.status).toBe("completed")
    expect(task.state.output).toContain("the child found three files")
    expect(JSON.stringify(h.llm.requests.at(-1).messages)).toContain("the child found three files")
    expect(JSON.stringify(h.llm.requests.at(-2).messages)).toContain("count the files")
  })

  test("deleting a running session stops it first", async () => {
    const c = h.server.sdk(project(h.llm))
    const s = (await c.session.create({ body: {} })).data!
    h.llm.enqueue({ hang: true })
    const before = h.llm.requests.length
    await c.session.promptAsync({ path: { id: s.id }, body: text("go") })
    await until(() => h.llm.requests.length > before, 3000, "request")
    expect((await c.session.delete({ path: { id: s.id } })).data).toBe(true)
    expect((await c.session.get({ path: { id: s.id } })).response.status).toBe(404)
    expect((await c.session.status()).data).toEqual({})
  })
})
