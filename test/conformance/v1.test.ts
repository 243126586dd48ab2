// Wire conformance with the v1 SDK: a realistic flow through the official client against a real
// server and the mock LLM. Every response body is checked against the SDK's declared
// `<Operation>Responses` type and every SSE event against the SDK's `Event` union
// (fixtures/v1-schemas.json, generated from the SDK's .d.ts by generate.ts).

import { test, expect } from "bun:test"
import { useHarness, project, text, until } from "../helpers/harness"
import { sseReader } from "../helpers/sse"
import { ascending } from "../../src/util/id"
import { checkEvent, checkResponse, dedupe, operations, type Mismatch, type Result } from "./v1-contract"

/**
 * Known differences, each with the reason it stays. Keys are `Operation` or `event <type>`;
 * values list substrings of the validator's messages that are accepted for that key.
 * Empty: every body and event the flow produces matches the v1 types.
 */
const ALLOWED: Record<string, { errors: string[]; why: string }> = {}

/** Event types the server sends that the v1 union does not name; v1 clients ignore them. */
const EXTRA_EVENTS: Record<string, string> = {
  "message.part.delta": "1.18's streaming delta; v1 clients get the same text from message.part.updated's `delta`",
  "permission.asked": "1.18's permission request; v1 clients get the same request as permission.updated",
  "reference.updated": "1.18's prompt-reference list changed; v1 has no references",
}

/** Operations this flow does not drive, with why. Everything else in the SDK must be covered. */
const NOT_DRIVEN: Record<string, string> = {
  GlobalEvent: "an SSE stream, not a JSON body; its items are checked below as events",
  EventSubscribe: "an SSE stream, not a JSON body; its items are checked below as events",
  PtyConnect: "a WebSocket upgrade; covered by test/pty",
  ProviderOauthAuthorize: "needs a fake identity provider; covered by test/signin",
  ProviderOauthCallback: "needs a fake identity provider; covered by test/signin",
  McpAdd: "spawns an MCP server process; covered by test/mcp",
  McpConnect: "needs a configured MCP server; covered by test/mcp",
  McpDisconnect: "needs a configured MCP server; covered by test/mcp",
  McpAuthStart: "needs a remote OAuth MCP server; covered by test/mcp/oauth.test.ts",
  McpAuthCallback: "needs a remote OAuth MCP server; covered by test/mcp/oauth.test.ts",
  McpAuthAuthenticate: "waits for a browser sign-in; covered by test/mcp/oauth.test.ts",
  McpAuthRemove: "needs a remote OAuth MCP server; covered by test/mcp/oauth.test.ts",
}

const h = useHarness()

test("every response and event of a realistic flow matches the v1 SDK's types", async () => {
  const dir = project(h.llm, {
    extra: { permission: { bash: "ask" }, command: { greet: { template: "Say hello to $ARGUMENTS", description: "Greets" } } },
    files: { "hello.txt": "hello\n", "src/app.ts": "export const answer = 42\n" },
  })
  const c = h.server.sdk(dir)
  const mismatches: Mismatch[] = []
  const driven = new Set<string>()

  async function call<T>(operation: string, request: Promise<Result<T>>): Promise<T> {
    const { data, error, response } = await request
    driven.add(operation)
    if (error !== undefined || !response.ok) throw new Error(`${operation}: HTTP ${response.status} ${JSON.stringify(error)}`)
    const mismatch = checkResponse(operation, response.status, data)
    if (mismatch) mismatches.push(mismatch)
    return data as T
  }

  const sse = sseReader(await h.server.fetch("/event?directory=" + encodeURIComponent(dir)))
  const global = sseReader(await h.server.fetch("/global/event"))
  await sse.next((e) => e.data.type === "server.connected")
  await global.next((e) => e.data.payload?.type === "server.connected")

  // The instance: what a client reads on startup.
  await call("ProjectCurrent", c.project.current())
  await call("ProjectList", c.project.list())
  await call("PathGet", c.path.get())
  await call("VcsGet", c.vcs.get())
  await call("ConfigGet", c.config.get())
  await call("ConfigProviders", c.config.providers())
  await call("ProviderList", c.provider.list())
  await call("ProviderAuth", c.provider.auth())
  await call("AppAgents", c.app.agents())
  await call("CommandList", c.command.list())
  await call("FileList", c.file.list({ query: { path: "." } }))
  await call("FileRead", c.file.read({ query: { path: "hello.txt" } }))
  await call("FileStatus", c.file.status())
  await call("FindText", c.find.text({ query: { pattern: "hello" } }))
  await call("FindFiles", c.find.files({ query: { query: "app" } }))
  await call("FindSymbols", c.find.symbols({ query: { query: "answer" } }))
  await call("LspStatus", c.lsp.status())
  await call("FormatterStatus", c.formatter.status())
  await call("McpStatus", c.mcp.status())
  await call("ToolIds", c.tool.ids())
  await call("ToolList", c.tool.list({ query: { provider: "mock", model: "mock-model" } }))
  await call("SessionStatus", c.session.status())

  // A session with a turn that writes a file, updates todos and runs bash behind a permission.
  const session = await call("SessionCreate", c.session.create({ body: { title: "conformance" } }))
  const id = session.id
  await call("SessionList", c.session.list())
  await call("SessionGet", c.session.get({ path: { id } }))
  await call("SessionUpdate", c.session.update({ path: { id }, body: { title: "conformance flow" } }))
  h.llm.enqueue(
    {
      reasoning: "Plan first.",
      text: "Working on it.",
      toolCalls: [
        { name: "write", args: { filePath: "hello.txt", content: "hello world\n" } },
        { name: "todowrite", args: { todos: [{ id: "1", content: "greet", status: "in_progress", priority: "high" }] } },
        { name: "bash", args: { command: "echo conformance", description: "Prints a word" } },
      ],
    },
    { text: "Done." },
  )
  const prompting = call("SessionPrompt", c.session.prompt({ path: { id }, body: text("write hello.txt") }))
  const asked = await sse.next((e) => e.data.type === "permission.updated" && e.data.properties.sessionID === id, 10_000)
  await call(
    "PostSessionIdPermissionsPermissionId",
    c.postSessionIdPermissionsPermissionId({ path: { id, permissionID: asked.data.properties.id }, body: { response: "once" } }),
  )
  const reply = await prompting

  await call("SessionTodo", c.session.todo({ path: { id } }))
  const messages = await call("SessionMessages", c.session.messages({ path: { id } }))
  const userMessage = messages.find((m) => m.info.role === "user")!.info.id
  const tools = messages.flatMap((m) => m.parts).filter((p) => p.type === "tool")
  expect(tools.map((p) => [p.tool, p.state.status])).toEqual([
    ["write", "completed"],
    ["todowrite", "completed"],
    ["bash", "completed"],
  ])
  await call("SessionMessage", c.session.message({ path: { id, messageID: reply.info.id } }))
  await call("SessionDiff", c.session.diff({ path: { id } }))
  const child = await call("SessionFork", c.session.fork({ path: { id }, body: { messageID: reply.info.id } }))
  expect(child.id).not.toBe(id)
  await call("SessionChildren", c.session.children({ path: { id } }))
  await call("SessionRevert", c.session.revert({ path: { id }, body: { messageID: userMessage } }))
  await call("SessionUnrevert", c.session.unrevert({ path: { id } }))
  // Reverting to a part keeps the text before it; the next prompt (the shell below) drops the
  // rest for good: message.part.removed for the tail of that reply, message.removed after it.
  const firstReply = messages.find((m) => m.parts.some((p) => p.type === "tool"))!
  const bash = firstReply.parts.find((p) => p.type === "tool" && p.tool === "bash")!
  await call("SessionRevert", c.session.revert({ path: { id }, body: { messageID: firstReply.info.id, partID: bash.id } }))
  await call("SessionShare", c.session.share({ path: { id } }))
  await call("SessionUnshare", c.session.unshare({ path: { id } }))
  await call("SessionShell", c.session.shell({ path: { id }, body: { agent: "build", command: "echo from-shell" } }))
  h.llm.enqueue({ text: "Hello, Bob." })
  await call("SessionCommand", c.session.command({ path: { id }, body: { command: "greet", arguments: "Bob" } }))
  h.llm.enqueue({ text: "Summary: greeted Bob and wrote hello.txt." })
  await call("SessionSummarize", c.session.summarize({ path: { id }, body: { providerID: "mock", modelID: "mock-model" } }))
  h.llm.enqueue({ text: "Wrote AGENTS.md." })
  await call("SessionInit", c.session.init({ path: { id }, body: { messageID: ascending("message"), providerID: "mock", modelID: "mock-model" } }))

  // An aborted turn: its assistant message carries MessageAbortedError.
  const other = await call("SessionCreate", c.session.create({ body: {} }))
  h.llm.enqueue({ hang: true, text: "partial" })
  await call("SessionPromptAsync", c.session.promptAsync({ path: { id: other.id }, body: text("take your time") }))
  await until(() => h.llm.pending() === 0, 5000, "the hanging turn to reach the model")
  await sse.next(
    (e) => e.data.type === "message.part.updated" && e.data.properties.part.sessionID === other.id && e.data.properties.part.text === "partial",
  )
  await call("SessionAbort", c.session.abort({ path: { id: other.id } }))
  await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === other.id)
  const aborted = await call("SessionMessages", c.session.messages({ path: { id: other.id } }))
  // Reverting the whole turn and prompting again drops it; the provider then refuses: session.error.
  await call("SessionRevert", c.session.revert({ path: { id: other.id }, body: { messageID: aborted[0]!.info.id } }))
  h.llm.enqueue({ error: { status: 400, body: { error: { message: "refused by the mock" } } } })
  await call("SessionPromptAsync", c.session.promptAsync({ path: { id: other.id }, body: text("again") }))
  await sse.next((e) => e.data.type === "session.error" && e.data.properties.sessionID === other.id)
  await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === other.id)

  // The TUI remote control, with no TUI attached: requests queue for the next poller.
  await call("TuiAppendPrompt", c.tui.appendPrompt({ body: { text: "hi" } }))
  await call("TuiOpenHelp", c.tui.openHelp())
  await call("TuiOpenSessions", c.tui.openSessions())
  await call("TuiOpenThemes", c.tui.openThemes())
  await call("TuiOpenModels", c.tui.openModels())
  await call("TuiSubmitPrompt", c.tui.submitPrompt())
  await call("TuiClearPrompt", c.tui.clearPrompt())
  await call("TuiExecuteCommand", c.tui.executeCommand({ body: { command: "session_new" } }))
  await call("TuiShowToast", c.tui.showToast({ body: { message: "hi", variant: "info" } }))
  await call("TuiPublish", c.tui.publish({ body: { type: "tui.prompt.append", properties: { text: "x" } } }))
  await call("TuiControlNext", c.tui.control.next())
  await call("TuiControlResponse", c.tui.control.response({ body: { ok: true } }))

  // Terminals, credentials, logging, config, and finally the session and the instance go away.
  const pty = await call("PtyCreate", c.pty.create({ body: { command: "sh", title: "t" } }))
  await call("PtyList", c.pty.list())
  await call("PtyGet", c.pty.get({ path: { id: pty.id } }))
  await call("PtyUpdate", c.pty.update({ path: { id: pty.id }, body: { title: "renamed", size: { rows: 20, cols: 80 } } }))
  await call("PtyRemove", c.pty.remove({ path: { id: pty.id } }))
  await call("AuthSet", c.auth.set({ path: { id: "mock" }, body: { type: "api", key: "sk-test" } }))
  await call("AppLog", c.app.log({ body: { service: "conformance", level: "info", message: "hello" } }))
  await call("ConfigUpdate", c.config.update({ body: { username: "conformance" } }))
  await call("SessionDelete", c.session.delete({ path: { id: child.id } }))
  await sse.next((e) => e.data.type === "session.deleted" && e.data.properties.info.id === child.id)
  await call("InstanceDispose", c.instance.dispose())
  await global.next((e) => e.data.payload?.type === "server.instance.disposed")
  sse.cancel()
  global.cancel()

  const unknownEvents = new Set<string>()
  const seen = new Set<string>()
  const streams = [...sse.events.map((e) => e.data), ...global.events.map((e) => e.data.payload)]
  for (const [i, e] of global.events.entries())
    if (typeof e.data.directory !== "string") mismatches.push({ where: `global event #${i}`, errors: ["/directory must be string"] })
  for (const event of streams) {
    seen.add(event.type)
    const result = checkEvent(event)
    if (result === "unknown") {
      if (!EXTRA_EVENTS[event.type]) unknownEvents.add(event.type)
    } else if (result) mismatches.push(result)
  }

  const unexplained = dedupe(mismatches)
    .map((m) => ({ ...m, errors: m.errors.filter((err) => !ALLOWED[m.where]?.errors.some((ok) => err.includes(ok))) }))
    .filter((m) => m.errors.length)
  expect(unexplained).toEqual([])
  expect([...unknownEvents]).toEqual([])
  // The flow reaches every operation the SDK has, apart from the ones listed with a reason...
  expect(operations.filter((op) => !driven.has(op) && !NOT_DRIVEN[op])).toEqual([])
  // ...and the events a client depends on actually arrived, so their checks were not vacuous.
  const expected = [
    "session.created",
    "session.updated",
    "session.status",
    "session.idle",
    "session.diff",
    "session.compacted",
    "session.error",
    "session.deleted",
  ]
  expected.push("message.updated", "message.part.updated", "message.removed", "message.part.removed", "permission.updated", "permission.replied")
  expected.push("todo.updated", "file.edited", "command.executed", "tui.prompt.append", "tui.toast.show", "pty.created", "server.instance.disposed")
  for (const type of expected) expect(seen).toContain(type)
}, 20_000)
