import { test, expect } from "bun:test"
import { useHarness, project, events, text, until } from "../helpers/harness"

const h = useHarness()

async function session(dir: string) {
  const c = h.server.sdk(dir)
  const s = (await c.session.create({ body: {} })).data!
  return { c, s }
}

test("shell runs in the project, records a bash tool part with output and exit code, and the model sees it", async () => {
  const dir = project(h.llm, { files: { "marker.txt": "here\n" } })
  const { c, s } = await session(dir)
  const sse = await events(h.server, dir)
  const r = await c.session.shell({ path: { id: s.id }, body: { agent: "build", command: "cat marker.txt; echo oops >&2; exit 3" } })
  expect(r.error).toBeUndefined()
  // The v1 SDK reads the assistant message itself, opencode 1.18 reads {info, parts}: both are there.
  const reply = r.data as any
  expect(reply.role).toBe("assistant")
  expect(reply.id).toBe(reply.info.id)
  expect(reply.info.role).toBe("assistant")
  expect((reply.info as any).time.completed).toBeGreaterThan(0)
  expect(reply.parts).toHaveLength(1)
  const part = reply.parts[0] as any
  expect(part).toMatchObject({ type: "tool", tool: "bash", state: { status: "completed", input: { command: "cat marker.txt; echo oops >&2; exit 3" } } })
  expect(part.state.output).toContain("here")
  expect(part.state.output).toContain("oops")
  expect(part.state.metadata.exit).toBe(3)

  const history = (await c.session.messages({ path: { id: s.id } })).data!
  expect(history.map((m) => m.info.role)).toEqual(["user", "assistant"])
  expect(history[0].parts[0]).toMatchObject({ type: "text", synthetic: true })
  expect(history[1]).toEqual({ info: reply.info, parts: reply.parts })

  const states = sse.events
    .filter((e) => e.data.type === "message.part.updated" && e.data.properties.part.id === part.id)
    .map((e) => e.data.properties.part.state.status)
  expect(states[0]).toBe("running")
  expect(states.at(-1)).toBe("completed")
  await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === s.id)
  sse.cancel()

  // The next prompt carries the command and its output as a bash call and its result.
  h.llm.enqueue({ text: "I saw it." })
  await c.session.prompt({ path: { id: s.id }, body: text("what did I run?") })
  const req = h.llm.requests.at(-1)
  const call = req.messages.find((m: any) => m.role === "assistant" && m.tool_calls)
  expect(call.tool_calls[0].function.name).toBe("bash")
  expect(JSON.parse(call.tool_calls[0].function.arguments)).toEqual({ command: "cat marker.txt; echo oops >&2; exit 3" })
  expect(req.messages.find((m: any) => m.role === "tool").content).toContain("here")
})

test("abort kills a running shell command; a busy session answers 409", async () => {
  const dir = project(h.llm)
  const { c, s } = await session(dir)
  const started = Date.now()
  const pending = c.session.shell({ path: { id: s.id }, body: { agent: "build", command: "echo started; sleep 30; echo never" } })
  const running = await until(async () => {
    const msgs = (await c.session.messages({ path: { id: s.id } })).data!
    const tool = msgs.flatMap((m) => m.parts).find((p: any) => p.type === "tool" && p.state.metadata?.output?.includes("started"))
    return tool
  }, 5000, "the command's first output")
  expect((running as any).state.status).toBe("running")

  const busy = await h.server.fetch(`/session/${s.id}/shell?directory=${encodeURIComponent(dir)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ agent: "build", command: "echo second" }),
  })
  expect(busy.status).toBe(409)
  expect((await busy.json()).name).toBe("SessionBusyError")

  expect((await c.session.abort({ path: { id: s.id } })).data).toBe(true)
  const reply = (await pending).data as any
  expect(Date.now() - started).toBeLessThan(5000)
  expect((reply.info as any).error.name).toBe("MessageAbortedError")
  const part = reply.parts[0] as any
  expect(part.state.status).toBe("error")
  expect(part.state.error).toContain("aborted")
  expect(part.state.error).toContain("started")
  expect(part.state.error).not.toContain("never")
  expect((await c.session.status()).data![s.id]).toBeUndefined()
})

test("unknown session 404, unknown agent 400, empty command 400", async () => {
  const dir = project(h.llm)
  const { c, s } = await session(dir)
  const missing = await c.session.shell({ path: { id: "ses_nope" }, body: { agent: "build", command: "true" } })
  expect(missing.response.status).toBe(404)
  const agent = await c.session.shell({ path: { id: s.id }, body: { agent: "nobody", command: "true" } })
  expect(agent.response.status).toBe(400)
  expect(JSON.stringify(agent.error)).toContain("nobody")
  const empty = await c.session.shell({ path: { id: s.id }, body: { agent: "build", command: "" } })
  expect(empty.response.status).toBe(400)
  expect((await c.session.messages({ path: { id: s.id } })).data).toEqual([])
})
