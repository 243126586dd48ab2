import { test, expect, describe } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { useHarness, project, events, text, until } from "../helpers/harness"

const h = useHarness()

async function session(dir: string) {
  const c = h.server.sdk(dir)
  const s = (await c.session.create({ body: {} })).data!
  return { c, s }
}

describe("the loop", () => {
  test("streams text as message.part.delta and as message.part.updated with delta", async () => {
    const dir = project(h.llm)
    const { c, s } = await session(dir)
    const sse = await events(h.server, dir)
    h.llm.enqueue({ text: "The quick brown fox jumps over the lazy dog", delay: 5 })
    const r = await c.session.prompt({ path: { id: s.id }, body: text("write a sentence") })
    expect(r.error).toBeUndefined()
    const reply = r.data!
    expect(reply.info.role).toBe("assistant")
    const info = reply.info as any
    expect(info.time.completed).toBeGreaterThan(0)
    expect(info.finish).toBe("stop")
    expect(info.error).toBeUndefined()
    expect(reply.parts.map((p) => p.type)).toEqual(["step-start", "text", "step-finish"])
    const part = reply.parts[1] as any
    expect(part.text).toBe("The quick brown fox jumps over the lazy dog")
    expect(part.time.end).toBeGreaterThanOrEqual(part.time.start)

    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === s.id)
    const deltas = sse.events.filter((e) => e.data.type === "message.part.delta" && e.data.properties.partID === part.id)
    expect(deltas.length).toBeGreaterThan(3)
    expect(deltas[0].data.properties).toMatchObject({ sessionID: s.id, messageID: reply.info.id, field: "text" })
    expect(deltas.map((e) => e.data.properties.delta).join("")).toBe(part.text)
    const updates = sse.events.filter((e) => e.data.type === "message.part.updated" && e.data.properties.part.id === part.id)
    const withDelta = updates.filter((e) => e.data.properties.delta !== undefined)
    expect(withDelta.length).toBeGreaterThan(0)
    expect(withDelta.map((e) => e.data.properties.delta).join("")).toBe(part.text)
    expect(updates.at(-1)!.data.properties.part.text).toBe(part.text)
    // Every delta event comes before the update that includes its text.
    const lastDelta = sse.events.indexOf(deltas.at(-1)!)
    expect(sse.events.indexOf(withDelta.at(-1)!)).toBeGreaterThan(lastDelta)

    const step = reply.parts[2] as any
    expect(step.tokens.input).toBe(10)
    expect(step.cost).toBeGreaterThan(0)
    expect(info.cost).toBeCloseTo(step.cost)
    // What is stored is what was answered.
    const stored = (await c.session.messages({ path: { id: s.id } })).data!
    expect(stored.map((m) => m.info.role)).toEqual(["user", "assistant"])
    expect(stored[1]).toEqual(reply)
    sse.cancel()
  })

  test("reasoning becomes a reasoning part", async () => {
    const { c, s } = await session(project(h.llm))
    h.llm.enqueue({ reasoning: "Let me think about it", text: "42" })
    const reply = (await c.session.prompt({ path: { id: s.id }, body: text("answer?") })).data!
    expect(reply.parts.map((p) => p.type)).toEqual(["step-start", "reasoning", "text", "step-finish"])
    expect((reply.parts[1] as any).text).toBe("Let me think about it")
    expect((reply.parts[1] as any).time.end).toBeDefined()
  })

  test("tool calls run real tools over several steps; the model sees the results", async () => {
    const dir = project(h.llm, { files: { "notes/hello.txt": "hello from the file\n" } })
    const { c, s } = await session(dir)
    h.llm.enqueue(
      { text: "Looking.", toolCalls: [{ name: "list", args: {} }, { name: "read", args: { filePath: "notes/hello.txt" } }] },
      { toolCalls: [{ name: "read", args: { nope: true } }, { name: "no_such_tool", args: {} }] },
      { text: "The file says hello." },
    )
    const sse = await events(h.server, dir)
    const reply = (await c.session.prompt({ path: { id: s.id }, body: text("what is in notes?") })).data!
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "The file says hello." })

    const history = (await c.session.messages({ path: { id: s.id } })).data!
    expect(history.map((m) => m.info.role)).toEqual(["user", "assistant", "assistant", "assistant"])
    const [, first, second] = history
    expect((first.info as any).finish).toBe("tool-calls")
    const tools = first.parts.filter((p) => p.type === "tool") as any[]
    expect(tools.map((t) => [t.tool, t.state.status])).toEqual([["list", "completed"], ["read", "completed"]])
    expect(tools[1].state.input).toEqual({ filePath: "notes/hello.txt" })
    expect(tools[1].state.output).toContain("hello from the file")
    expect(tools[1].state.title).toContain("hello.txt")
    expect(tools[1].state.time.end).toBeGreaterThanOrEqual(tools[1].state.time.start)
    expect(tools[0].state.output).toContain("hello.txt")

    // Bad input and unknown tools are errors the model reads, not request failures.
    const bad = second.parts.filter((p) => p.type === "tool") as any[]
    expect(bad.map((t) => t.state.status)).toEqual(["error", "error"])
    expect(bad[0].state.error).toContain("filePath")
    expect(bad[1].state.error).toContain("no_such_tool")

    // Each tool went pending -> running -> completed on the wire.
    const states = sse.events
      .filter((e) => e.data.type === "message.part.updated" && e.data.properties.part.id === tools[1].id)
      .map((e) => e.data.properties.part.state.status)
    expect(states[0]).toBe("pending")
    expect(states).toContain("running")
    expect(states.at(-1)).toBe("completed")

    // The second request carried the first step's calls and results.
    const req = h.llm.requests.at(-2)
    const toolMsgs = req.messages.filter((m: any) => m.role === "tool")
    expect(toolMsgs.length).toBe(2)
    expect(toolMsgs.map((m: any) => m.content).join("\n")).toContain("hello from the file")
    const assistantCall = req.messages.find((m: any) => m.role === "assistant" && m.tool_calls)
    expect(assistantCall.tool_calls.map((t: any) => t.function.name)).toEqual(["list", "read"])
    const last = h.llm.requests.at(-1)
    const errors = last.messages.filter((m: any) => m.role === "tool").slice(-2).map((m: any) => m.content)
    expect(errors[0]).toContain("Invalid input")
    expect(last.tools.map((t: any) => t.function.name)).toEqual(expect.arrayContaining(["read", "list", "bash", "edit"]))
    sse.cancel()
  })

  test("the model receives our system prompt, instruction files, config instructions and the history", async () => {
    const dir = project(h.llm, {
      files: { "AGENTS.md": "Always answer in haiku.", "docs/style.md": "Use tabs, never spaces." },
      extra: { instructions: ["docs/*.md"] },
    })
    fs.mkdirSync(path.join(process.env.OPENCODE_CONFIG_DIR!), { recursive: true })
    fs.writeFileSync(path.join(process.env.OPENCODE_CONFIG_DIR!, "AGENTS.md"), "The user's name is Ada.")
    const { c, s } = await session(dir)
    h.llm.enqueue({ text: "first" }, { text: "second" })
    await c.session.prompt({ path: { id: s.id }, body: text("one") })
    await c.session.prompt({ path: { id: s.id }, body: { ...text("two"), system: "Extra rule from the client.", tools: { bash: false } } })
    const req = h.llm.requests.at(-1)
    const system = req.messages.filter((m: any) => m.role === "system").map((m: any) => m.content).join("\n")
    expect(system).toContain("You are opencode")
    expect(system).toContain("Always answer in haiku.")
    expect(system).toContain("The user's name is Ada.")
    expect(system).toContain("Use tabs, never spaces.")
    expect(system).toContain("Extra rule from the client.")
    expect(system).toContain(`Working directory: ${dir}`)
    expect(system).toContain("Is the directory a git repository: no")
    expect(system).toContain(`Platform: ${process.platform}`)
    const convo = req.messages.filter((m: any) => m.role !== "system").map((m: any) => [m.role, m.content])
    expect(convo).toEqual([
      ["user", "one"],
      ["assistant", "first"],
      ["user", "two"],
    ])
    expect(req.tools.map((t: any) => t.function.name)).not.toContain("bash")
    expect(req.tools.map((t: any) => t.function.name)).toContain("read")
    fs.rmSync(path.join(process.env.OPENCODE_CONFIG_DIR!, "AGENTS.md"))
  })

  test("file parts: project text files are inlined, images go to the model as images", async () => {
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64")
    const dir = project(h.llm, { files: { "src/app.ts": "export const answer = 42\n" } })
    fs.writeFileSync(path.join(dir, "dot.png"), png)
    const { c, s } = await session(dir)
    h.llm.enqueue({ text: "seen" })
    const r = await c.session.prompt({
      path: { id: s.id },
      body: {
        parts: [
          { type: "text", text: "look at these" },
          { type: "file", mime: "text/plain", url: "src/app.ts", filename: "app.ts" },
          { type: "file", mime: "image/png", url: `file://${path.join(dir, "dot.png")}` },
        ],
      },
    })
    expect(r.error).toBeUndefined()
    const user = (await c.session.messages({ path: { id: s.id } })).data![0]
    expect(user.parts.map((p) => p.type)).toEqual(["text", "file", "text", "file"])
    expect((user.parts[3] as any).url).toStartWith("data:image/png;base64,")
    const content = h.llm.requests.at(-1).messages.at(-1).content
    const texts = content.filter((p: any) => p.type === "text").map((p: any) => p.text).join("\n")
    expect(texts).toContain("export const answer = 42")
    const image = content.find((p: any) => p.type === "image_url")
    expect(image.image_url.url).toStartWith("data:image/png;base64,")

    const outside = await c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "file", mime: "text/plain", url: "/etc/hostname" }] } })
    expect(outside.response.status).toBe(403)
  })

  test("noReply stores the message without calling the model", async () => {
    const { c, s } = await session(project(h.llm))
    const before = h.llm.requests.length
    const r = (await c.session.prompt({ path: { id: s.id }, body: { ...text("just so you know"), noReply: true } })).data!
    expect((r.info as { role: string }).role).toBe("user")
    expect(h.llm.requests.length).toBe(before)
    expect((await c.session.messages({ path: { id: s.id } })).data!.length).toBe(1)
  })

  test("unknown model and unknown agent are 400s naming them; nothing is stored", async () => {
    const { c, s } = await session(project(h.llm))
    const m = await c.session.prompt({ path: { id: s.id }, body: { ...text("hi"), model: { providerID: "mock", modelID: "nope-model" } } })
    expect(m.response.status).toBe(400)
    expect(JSON.stringify(m.error)).toContain("nope-model")
    const a = await c.session.prompt({ path: { id: s.id }, body: { ...text("hi"), agent: "ghost" } })
    expect(a.response.status).toBe(400)
    expect(JSON.stringify(a.error)).toContain("ghost")
    expect((await c.session.messages({ path: { id: s.id } })).data).toEqual([])
  })

  test("a provider without a key gives ProviderAuthError on the reply, at once", async () => {
    const dir = project(h.llm)
    const { c, s } = await session(dir)
    const anthropic = (await c.provider.list()).data!.all.find((p) => p.id === "anthropic")!
    const modelID = Object.keys(anthropic.models)[0]
    const sse = await events(h.server, dir)
    const t0 = Date.now()
    const r = (await c.session.prompt({ path: { id: s.id }, body: { ...text("hi"), model: { providerID: "anthropic", modelID } } })).data!
    expect(Date.now() - t0).toBeLessThan(2000)
    const info = r.info as any
    expect(info.error.name).toBe("ProviderAuthError")
    expect(info.error.data.providerID).toBe("anthropic")
    expect(info.time.completed).toBeDefined()
    const err = await sse.next((e) => e.data.type === "session.error")
    expect(err.data.properties).toMatchObject({ sessionID: s.id, error: { name: "ProviderAuthError" } })
    sse.cancel()
  })

  test("the first prompt names the session with the small model, or its first line", async () => {
    const dir = project(h.llm, { titles: true })
    const { c, s } = await session(dir)
    // Route by request: the title call is the non-streaming one.
    const script = [{ text: "hello!" }]
    for (let i = 0; i < 2; i++)
      h.llm.enqueue((body) => (body.stream ? script.shift()! : { text: "Greeting the assistant" }))
    await c.session.prompt({ path: { id: s.id }, body: text("hi there\nsecond line") })
    const titled = await until(async () => {
      const t = (await c.session.get({ path: { id: s.id } })).data!.title
      return t === "Greeting the assistant" && t
    }, 3000, "title")
    expect(titled).toBe("Greeting the assistant")
    const titleReq = h.llm.requests.find((r) => !r.stream)
    expect(JSON.stringify(titleReq.messages)).toContain("hi there")

    // Model failure: the prompt's first line.
    const other = (await c.session.create({ body: {} })).data!
    for (let i = 0; i < 2; i++) h.llm.enqueue((body) => (body.stream ? { text: "ok" } : { error: { status: 400 } }))
    await c.session.prompt({ path: { id: other.id }, body: text("\n  rename the build script  \nmore") })
    await until(async () => (await c.session.get({ path: { id: other.id } })).data!.title === "rename the build script", 3000, "fallback title")
    // A session given a title keeps it.
    const named = (await c.session.create({ body: { title: "mine" } })).data!
    h.llm.enqueue({ text: "ok" })
    await c.session.prompt({ path: { id: named.id }, body: text("anything") })
    await Bun.sleep(50)
    expect((await c.session.get({ path: { id: named.id } })).data!.title).toBe("mine")
  })
})
