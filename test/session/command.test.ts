import { test, expect, describe } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { applyArguments, references, splitArguments } from "../../src/session/command-template"
import { ascending } from "../../src/util/id"
import { useHarness, project, events, until } from "../helpers/harness"

const h = useHarness()

describe("templates", () => {
  test("arguments split on spaces, quotes group words", () => {
    expect(splitArguments(`src/a.ts "error handling" 'it''s' plain\\ word`)).toEqual(["src/a.ts", "error handling", "its", "plain word"])
    expect(splitArguments("  ")).toEqual([])
    expect(splitArguments(`""`)).toEqual([""])
  })

  test("$1.. fill in order, the highest takes the rest, $ARGUMENTS is the raw string", () => {
    expect(applyArguments("a=$1 b=$2", `x "y z" w`)).toBe("a=x b=y z w")
    expect(applyArguments("a=$1 c=$3", "x")).toBe("a=x c=")
    expect(applyArguments("all: $ARGUMENTS", ` one "two" `)).toBe(`all: one "two"`)
    expect(applyArguments("Explain this", "please")).toBe("Explain this\n\nplease")
    expect(applyArguments("Explain this", "")).toBe("Explain this")
  })

  test("@references: paths and names, not e-mail addresses or code", () => {
    const text = "see @src/a.ts, @README.md. mail me@host.com `@skip` @general"
    expect(references(text).map((r) => r.name)).toEqual(["src/a.ts", "README.md", "general"])
    const r = references(text)[0]
    expect(text.slice(r.start, r.end)).toBe("@src/a.ts")
  })
})

function commandProject() {
  return project(h.llm, {
    files: { "notes/spec.md": "The spec says: be precise.\n" },
    extra: {
      command: {
        review: {
          description: "Review a file",
          template: "Review $1 with focus on $2.\nAll: $ARGUMENTS\nBranch: !`printf feature-%s x`\nSpec: @notes/spec.md",
        },
        plain: { template: "Explain this" },
        planned: { template: "Plan $ARGUMENTS", agent: "plan" },
        delegate: { template: "Investigate $ARGUMENTS", subtask: true, agent: "general", description: "investigate" },
      },
    },
  })
}

async function session(dir: string) {
  const c = h.server.sdk(dir)
  const s = (await c.session.create({ body: {} })).data!
  return { c, s }
}

describe("POST /session/:id/command", () => {
  test("expands arguments, !`cmd` output and @file, answers with the reply and publishes command.executed", async () => {
    const dir = commandProject()
    const { c, s } = await session(dir)
    const sse = await events(h.server, dir)
    h.llm.enqueue({ text: "Reviewed." })
    const r = await c.session.command({ path: { id: s.id }, body: { command: "review", arguments: `src/app.ts "error handling"` } })
    expect(r.error).toBeUndefined()
    const reply = r.data!
    expect(reply.info.role).toBe("assistant")
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "Reviewed." })

    const sent = JSON.stringify(h.llm.requests.at(-1).messages)
    expect(sent).toContain("Review src/app.ts with focus on error handling.")
    expect(sent).toContain(`All: src/app.ts \\"error handling\\"`)
    expect(sent).toContain("Branch: feature-x")
    expect(sent).toContain("The spec says: be precise.")

    const history = (await c.session.messages({ path: { id: s.id } })).data!
    const user = history[0]
    expect(user.info).toMatchObject({ role: "user", agent: "build" })
    const file = user.parts.find((p) => p.type === "file") as any
    expect(file).toMatchObject({ filename: path.join("notes", "spec.md"), source: { type: "file", path: path.join("notes", "spec.md"), text: { value: "@notes/spec.md" } } })

    const executed = await sse.next((e) => e.data.type === "command.executed" && e.data.properties.sessionID === s.id)
    expect(executed.data.properties).toEqual({ name: "review", sessionID: s.id, arguments: `src/app.ts "error handling"`, messageID: reply.info.id })
    sse.cancel()
  })

  test("arguments are appended to a template without placeholders; the command's agent is used", async () => {
    const dir = commandProject()
    const { c, s } = await session(dir)
    h.llm.enqueue({ text: "ok" }, { text: "planned" })
    await c.session.command({ path: { id: s.id }, body: { command: "plain", arguments: "the build script" } })
    expect(JSON.stringify(h.llm.requests.at(-1).messages)).toContain("Explain this\\n\\nthe build script")
    await c.session.command({ path: { id: s.id }, body: { command: "planned", arguments: "a refactor", agent: "build" } })
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    expect(history.at(-2)!.info).toMatchObject({ role: "user", agent: "plan" })
    expect((history.at(-1)!.info as any).mode).toBe("plan")
  })

  test("a subtask command runs in a child session", async () => {
    const dir = commandProject()
    const { c, s } = await session(dir)
    h.llm.enqueue({ text: "Found the cause." }, { text: "The subagent found the cause." })
    const reply = (await c.session.command({ path: { id: s.id }, body: { command: "delegate", arguments: "the crash" } })).data!
    const children = (await c.session.children({ path: { id: s.id } })).data!
    expect(children).toHaveLength(1)
    const childMsgs = (await c.session.messages({ path: { id: children[0].id } })).data!
    expect(childMsgs[0].parts.find((p) => p.type === "text")).toMatchObject({ text: "Investigate the crash" })
    expect(childMsgs[0].info).toMatchObject({ agent: "general" })
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "The subagent found the cause." })
    const history = (await c.session.messages({ path: { id: s.id } })).data!
    expect(history[0].parts.map((p) => p.type)).toEqual(["subtask"])
    const task = history.flatMap((m) => m.parts).find((p) => p.type === "tool") as any
    expect(task).toMatchObject({ tool: "task", state: { status: "completed", output: expect.stringContaining("Found the cause.") } })
  })

  test("built-in /review (as 1.18 ships it): a subtask that reviews the uncommitted changes by default", async () => {
    const dir = project(h.llm)
    const { c, s } = await session(dir)
    const listed = (await c.command.list()).data!.find((x) => x.name === "review")!
    expect(listed).toMatchObject({ subtask: true, description: expect.stringContaining("defaults to uncommitted") })
    h.llm.enqueue({ text: "No problems found." }, { text: "The review found no problems." })
    const reply = (await c.session.command({ path: { id: s.id }, body: { command: "review", arguments: "" } })).data!
    const children = (await c.session.children({ path: { id: s.id } })).data!
    expect(children).toHaveLength(1)
    const asked = (await c.session.messages({ path: { id: children[0].id } })).data![0].parts.find((p) => p.type === "text") as any
    expect(asked.text).toContain("uncommitted changes")
    expect(asked.text).toContain("git diff HEAD")
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "The review found no problems." })
    // Arguments name what to review.
    h.llm.enqueue({ text: "Reviewed abc123." }, { text: "ok" })
    await c.session.command({ path: { id: s.id }, body: { command: "review", arguments: "abc123" } })
    expect(JSON.stringify(h.llm.requests.at(-2).messages)).toContain("Request: abc123")
  })

  test("unknown command: 404 naming it; bad model string: 400", async () => {
    const dir = commandProject()
    const { c, s } = await session(dir)
    const r = await c.session.command({ path: { id: s.id }, body: { command: "nope", arguments: "" } })
    expect(r.response.status).toBe(404)
    expect((r.error as any).data.message).toContain('"nope"')
    const bad = await c.session.command({ path: { id: s.id }, body: { command: "plain", arguments: "", model: "no-slash" } })
    expect(bad.response.status).toBe(400)
    expect(JSON.stringify(bad.error)).toContain("no-slash")
    expect((await c.session.messages({ path: { id: s.id } })).data).toEqual([])
  })
})

test("POST /session/:id/init has the agent write AGENTS.md and marks the project initialized", async () => {
  const dir = project(h.llm, { files: { "package.json": '{"name":"demo"}\n' } })
  const { c, s } = await session(dir)
  h.llm.enqueue(
    { toolCalls: [{ name: "write", args: { filePath: "AGENTS.md", content: "# Demo\n\nRun tests with bun test.\n" } }] },
    { text: "Wrote AGENTS.md." },
  )
  const messageID = ascending("message")
  const r = await c.session.init({ path: { id: s.id }, body: { messageID, providerID: "mock", modelID: "mock-model" } })
  expect(r.error).toBeUndefined()
  expect(r.data).toBe(true)
  expect(fs.readFileSync(path.join(dir, "AGENTS.md"), "utf8")).toContain("Run tests with bun test.")
  const first = h.llm.requests.at(-2)
  expect(JSON.stringify(first.messages)).toContain("AGENTS.md")
  const history = (await c.session.messages({ path: { id: s.id } })).data!
  expect(history[0].info.id).toBe(messageID)
  const current = (await c.project.current()).data!
  expect(current.time.initialized).toBeGreaterThan(0)
  await until(async () => (await c.session.status()).data![s.id] === undefined)
})

// The real opencode 1.18 CLI: `run --command` posts to /session/:id/command with a
// "provider/model" string and its arguments (a spaced one arrives quoted).
test("opencode run --attach --command runs a command through our server", async () => {
  const dir = commandProject()
  h.llm.enqueue({ text: "Reviewed by the mock" })
  const CLI = path.resolve(import.meta.dir, "../../node_modules/opencode-ai/bin/opencode.exe")
  const args = ["run", "--attach", h.server.base, "--dir", dir, "--model", "mock/mock-model", "--format", "json", "--command", "review", "src/cli.ts", "speed and size"]
  const proc = Bun.spawn([CLI, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const timer = setTimeout(() => proc.kill("SIGKILL"), 25_000)
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(timer)
  expect({ code, err }).toEqual({ code: 0, err: "" })
  // With --attach the CLI exits as soon as the command request answers, so the reply's events
  // may or may not be printed by then; the stored session is what to check.
  for (const line of out.trim().split("\n").filter(Boolean)) expect(JSON.parse(line).sessionID).toStartWith("ses_")
  const sessions = (await h.server.sdk(dir).session.list()).data!
  expect(sessions).toHaveLength(1)
  const history = (await h.server.sdk(dir).session.messages({ path: { id: sessions[0].id } })).data!
  expect(history.at(-1)!.parts.find((p) => p.type === "text")).toMatchObject({ text: "Reviewed by the mock" })
  const sent = JSON.stringify(h.llm.requests.at(-1).messages)
  expect(sent).toContain("Review src/cli.ts with focus on speed and size.")
  expect(sent).toContain("Branch: feature-x")
}, 30_000)
