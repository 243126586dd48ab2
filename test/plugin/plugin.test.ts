import { test, expect, describe, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { Bus } from "../../src/bus"
import { useHarness, project, text, until } from "../helpers/harness"
import { askTool, authPlugin, brokenPlugin, greetTool, shaperPlugin, slowEventPlugin, spyPlugin } from "./fixtures"
import { mockProviderConfig } from "../helpers/mock-llm"
import { startTestServer } from "../helpers/server"

const h = useHarness()
const seen = () => (globalThis as any).__pluginSeen

async function toolParts(dir: string, sessionID: string) {
  const msgs = (await h.server.sdk(dir).session.messages({ path: { id: sessionID } })).data!
  return msgs.flatMap((m) => m.parts).filter((p) => p.type === "tool") as any[]
}

async function session(dir: string) {
  return (await h.server.sdk(dir).session.create({ body: {} })).data!
}

async function status(dir: string) {
  const res = await h.server.fetch(`/experimental/plugin?directory=${encodeURIComponent(dir)}`)
  expect(res.status).toBe(200)
  return (await res.json()) as any[]
}

describe("custom tools from .opencode/tool", () => {
  test("are listed with their JSON Schema, called by the model with arguments, and stored as tool parts", async () => {
    const dir = project(h.llm, { files: { ".opencode/tool/greet.ts": greetTool } })
    const ids = (await h.server.sdk(dir).tool.ids()).data!
    expect(ids).toContain("greet")
    expect(ids).toContain("greet_loud")
    const list = (await h.server.sdk(dir).tool.list({ query: { provider: "mock", model: "mock-model" } })).data!
    const greet = list.find((t) => t.id === "greet")!
    expect(greet.description).toBe("Greets someone by name")
    expect(greet.parameters).toMatchObject({ type: "object", properties: { name: { type: "string", description: "who to greet" }, times: { type: "integer" } }, required: ["name"] })

    const s = await session(dir)
    h.llm.enqueue({ toolCalls: [{ name: "greet", args: { name: "Ada", times: 2 } }, { name: "greet", args: { times: 0 } }] }, { text: "done" })
    await h.server.sdk(dir).session.prompt({ path: { id: s.id }, body: text("greet Ada") })
    // The model was offered the tool with its schema.
    const offered = h.llm.requests.at(-2).tools.map((t: any) => t.function)
    expect(offered.find((f: any) => f.name === "greet").parameters.properties.name.type).toBe("string")
    const [ok, bad] = await toolParts(dir, s.id)
    expect(ok.state.status).toBe("completed")
    expect(ok.state.output).toBe(`Hello, Ada Hello, Ada from root in ${s.id}`)
    expect(ok.state.title).toBe("greeted")
    expect(ok.state.metadata).toEqual({ n: 2 })
    expect(bad.state.status).toBe("error")
    expect(bad.state.error).toContain("name")
    // The result went back to the model.
    expect(JSON.stringify(h.llm.requests.at(-1).messages)).toContain("Hello, Ada Hello, Ada")
  })

  test("an edited tool file is picked up after /instance/dispose", async () => {
    const dir = project(h.llm, { files: { ".opencode/tool/greet.ts": greetTool } })
    const c = h.server.sdk(dir)
    const describe = async () => (await c.tool.list({ query: { provider: "mock", model: "mock-model" } })).data!.find((t) => t.id === "greet")?.description
    expect(await describe()).toBe("Greets someone by name")
    fs.writeFileSync(path.join(dir, ".opencode/tool/greet.ts"), greetTool.replace("Greets someone by name", "Greets warmly"))
    expect(await describe()).toBe("Greets someone by name")
    await c.instance.dispose()
    expect(await describe()).toBe("Greets warmly")
  })

  test("a tool's ask() goes through the permission gate", async () => {
    const dir = project(h.llm, { files: { ".opencode/tool/deploy.ts": askTool }, extra: { permission: { deploy: "deny" } } })
    const s = await session(dir)
    h.llm.enqueue({ toolCalls: [{ name: "deploy", args: { target: "prod" } }] }, { text: "ok" })
    await h.server.sdk(dir).session.prompt({ path: { id: s.id }, body: text("deploy") })
    const [part] = await toolParts(dir, s.id)
    expect(part.state.status).toBe("error")
    expect(part.state.error).toContain("Permission denied")
    expect(part.state.error).toContain("deploy")
  })
})

describe("plugin hooks", () => {
  const files = { ".opencode/plugin/spy.ts": spyPlugin, ".opencode/tool/greet.ts": greetTool }
  const extra = { permission: { bash: "ask" } }

  test("the plugin starts with the SDK client bound to this server, the project, options and Bun's shell", async () => {
    const dir = project(h.llm, { files })
    const list = await status(dir)
    expect(list).toEqual([
      expect.objectContaining({ name: path.join(dir, ".opencode/plugin/spy.ts"), source: "file", status: "loaded", hooks: expect.arrayContaining(["event", "chat.params", "permission.ask"]) }),
      expect.objectContaining({ source: "tool", status: "loaded", tools: ["greet", "greet_loud"] }),
    ])
    const input = seen().inputs.find((i: any) => i.directory === dir)
    expect(input.serverUrl).toBe(h.server.url.href)
    expect(seen().paths[dir].directory).toBe(dir)
    expect(seen().shell).toBe("shell-works")
  })

  test("events, chat.message, chat.params, chat.headers and the system transform reach the model call", async () => {
    const dir = project(h.llm, { files })
    const s = await session(dir)
    h.llm.enqueue({ text: "hi there" })
    await h.server.sdk(dir).session.prompt({ path: { id: s.id }, body: text("hello plugin") })
    const req = h.llm.requests.at(-1)
    expect(req.temperature).toBe(0.42)
    expect(req.top_p).toBe(0.9)
    expect(h.llm.headers.at(-1)!["x-from-plugin"]).toBe("spy")
    expect(JSON.stringify(req.messages[0])).toContain("PLUGIN SYSTEM LINE")
    expect(seen().messages).toContainEqual({ sessionID: s.id, text: "hello plugin" })
    await until(() => seen().events.includes("session.idle"), 5000, "session.idle in the event hook")
    expect(seen().events).toContain("message.part.updated")
  })

  test("shell.env reaches bash; permission.ask allows and denies; tool.execute.before/after change args and output", async () => {
    const dir = project(h.llm, { files, extra })
    const s = await session(dir)
    const bash = (command: string) => ({ name: "bash", args: { command, description: "run" } })
    h.llm.enqueue(
      { toolCalls: [bash("echo trusted $PLUGIN_VAR"), bash("echo forbidden")] },
      { toolCalls: [{ name: "greet", args: { name: "rename" } }, { name: "greet_loud", args: { word: "hey" } }] },
      { text: "done" },
    )
    await h.server.sdk(dir).session.prompt({ path: { id: s.id }, body: text("go") })
    const [trusted, forbidden, renamed, loud] = await toolParts(dir, s.id)
    expect(trusted.state.status).toBe("completed")
    expect(trusted.state.output).toContain("trusted from-plugin:session")
    expect(forbidden.state.status).toBe("error")
    expect(forbidden.state.error).toContain("Permission denied by a plugin")
    expect(renamed.state.output).toContain("Hello, Renamed")
    expect(loud.state.output).toBe("HEY (checked by spy)")
    expect(seen().before).toContainEqual({ tool: "greet", args: { name: "rename" } })
    // Nothing was left waiting for a human.
    const pending = await h.server.fetch(`/permission?directory=${encodeURIComponent(dir)}`)
    expect(await pending.json()).toEqual([])
  })

  test("a throwing hook and a hanging hook fail their own tool call only; the server goes on", async () => {
    const previous = process.env.OPENCODE_PLUGIN_HOOK_TIMEOUT_MS
    process.env.OPENCODE_PLUGIN_HOOK_TIMEOUT_MS = "300"
    try {
      const dir = project(h.llm, { files: { ...files, ".opencode/plugin/slow-events.ts": slowEventPlugin } })
      const s = await session(dir)
      h.llm.enqueue({ toolCalls: [{ name: "greet", args: { name: "boom" } }, { name: "greet", args: { name: "hang" } }, { name: "greet", args: { name: "Bo" } }] }, { text: "after" })
      const started = Date.now()
      const reply = (await h.server.sdk(dir).session.prompt({ path: { id: s.id }, body: text("go") })).data!
      expect(Date.now() - started).toBeLessThan(5000)
      const [boom, hang, fine] = await toolParts(dir, s.id)
      expect(boom.state.status).toBe("error")
      expect(boom.state.error).toContain(`plugin ${path.join(dir, ".opencode/plugin/spy.ts")}: its "tool.execute.before" hook failed: boom is not a name`)
      expect(hang.state.status).toBe("error")
      expect(hang.state.error).toContain(`"tool.execute.before" hook did not finish within 0.3 s`)
      expect(fine.state.status).toBe("completed")
      expect(reply.info.role).toBe("assistant")
      expect((reply.info as any).error).toBeUndefined()
      expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "after" })
    } finally {
      if (previous === undefined) delete process.env.OPENCODE_PLUGIN_HOOK_TIMEOUT_MS
      else process.env.OPENCODE_PLUGIN_HOOK_TIMEOUT_MS = previous
    }
  })
})

describe("failures while loading", () => {
  test("a plugin that cannot start, a missing file and a bad entry are reported; the others load", async () => {
    const dir = project(h.llm, {
      files: { ".opencode/plugin/broken.ts": brokenPlugin, ".opencode/plugin/spy.ts": spyPlugin, ".opencode/tool/notatool.ts": "export const x = 1\n" },
      extra: { plugin: ["file:///nonexistent/plugin.ts", "not a package!"] },
    })
    const failed: any[] = []
    const stop = Bus.subscribe((e) => e.directory === dir && e.payload.type === "plugin.failed" && failed.push(e.payload.properties))
    afterAll(stop)
    const list = await status(dir)
    const byName = Object.fromEntries(list.map((p) => [p.name, p]))
    expect(byName["file:///nonexistent/plugin.ts"]).toMatchObject({ status: "failed", error: "no such file: /nonexistent/plugin.ts" })
    expect(byName[path.join(dir, ".opencode/plugin/broken.ts")]).toMatchObject({ status: "failed", error: expect.stringContaining("this plugin cannot start") })
    expect(byName[path.join(dir, ".opencode/plugin/spy.ts")].status).toBe("loaded")
    expect(byName[path.join(dir, ".opencode/tool/notatool.ts")]).toMatchObject({ status: "failed", error: "it exports no tool() definition" })
    expect(list.find((p) => p.name === "not a package!")).toMatchObject({ status: "failed", error: expect.stringContaining("not a valid npm package name") })
    expect(failed.map((f) => f.name)).toContain("file:///nonexistent/plugin.ts")
    expect(failed.length).toBe(4)
    // The server still works for this directory.
    const s = await session(dir)
    h.llm.enqueue({ text: "still fine" })
    const reply = (await h.server.sdk(dir).session.prompt({ path: { id: s.id }, body: text("hi") })).data!
    expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "still fine" })
  })
})

test("a plugin that never finishes starting is given up on; the others load", async () => {
  const previous = process.env.OPENCODE_PLUGIN_HOOK_TIMEOUT_MS
  process.env.OPENCODE_PLUGIN_HOOK_TIMEOUT_MS = "300"
  try {
    const dir = project(h.llm, { files: { ".opencode/plugin/a-stuck.ts": "export default async () => new Promise(() => {})\n", ".opencode/plugin/spy.ts": spyPlugin } })
    const list = await status(dir)
    expect(list[0]).toMatchObject({ status: "failed", error: `plugin ${path.join(dir, ".opencode/plugin/a-stuck.ts")}: did not start within 0.3 s` })
    expect(list[1]).toMatchObject({ status: "loaded" })
  } finally {
    if (previous === undefined) delete process.env.OPENCODE_PLUGIN_HOOK_TIMEOUT_MS
    else process.env.OPENCODE_PLUGIN_HOOK_TIMEOUT_MS = previous
  }
})

describe("the auth hook", () => {
  test("its methods are listed, authorize/callback complete through the OAuth routes, and its loader supplies the key", async () => {
    const mock = mockProviderConfig(h.llm.url).provider.mock
    const acme = { ...mock, name: "Acme", options: { baseURL: h.llm.url } }
    const dir = project(h.llm, { files: { ".opencode/plugin/acme.ts": authPlugin }, extra: { provider: { ...mockProviderConfig(h.llm.url).provider, acme } } })
    const c = h.server.sdk(dir)
    const methods = (await c.provider.auth()).data as any
    expect(methods.acme).toEqual([
      { type: "oauth", label: "Acme account", prompts: [{ type: "select", key: "region", message: "Region", options: [{ label: "EU", value: "eu" }, { label: "US", value: "us" }] }] },
      { type: "api", label: "Acme key" },
    ])
    const started = await c.provider.oauth.authorize({ path: { id: "acme" }, body: { method: 0, inputs: { region: "eu" } } as any })
    expect(started.data).toEqual({ url: "https://login.acme.test/eu", method: "code", instructions: "Paste the code" })
    const wrong = await c.provider.oauth.callback({ path: { id: "acme" }, body: { method: 0, code: "nope" } })
    expect(wrong.response.status).toBe(400)
    expect((wrong.error as any).name).toBe("ProviderAuthOauthCallbackFailed")
    const done = await c.provider.oauth.callback({ path: { id: "acme" }, body: { method: 0, code: "right" } })
    expect(done.data).toBe(true)

    const s = await session(dir)
    h.llm.enqueue({ text: "signed in" })
    await c.session.prompt({ path: { id: s.id }, body: { ...text("hi"), model: { providerID: "acme", modelID: "mock-model" } } })
    expect(h.llm.headers.at(-1)!.authorization).toBe("Bearer tok-eu")
    expect(h.llm.headers.at(-1)!["x-acme-loader"]).toBe("yes")
  })
})

describe("transform hooks", () => {
  test("config (amending the config), tool.definition, messages and text transforms, command.execute.before, compaction context and dispose", async () => {
    const dir = project(h.llm, { files: { ".opencode/plugin/shaper.ts": shaperPlugin }, extra: { command: { hello: { template: "say hello to $ARGUMENTS" } } } })
    const shaper = () => (globalThis as any).__shaperSeen
    const c = h.server.sdk(dir)
    expect((await status(dir))[0]).toMatchObject({ status: "loaded", hooks: expect.arrayContaining(["config", "tool.definition", "dispose"]) })
    expect(shaper().model).toBe("mock/mock-model")
    // What the config hook added is part of the config, as in opencode.
    const agents = await until(async () => ((await c.app.agents()).data ?? []).find((a) => a.name === "reviewer"), 3000, "the plugin's agent")
    expect(agents.description).toBe("Reviews code (from a plugin)")
    const s = await session(dir)

    h.llm.enqueue({ text: "noted" }, { text: "ok" })
    const first = (await c.session.prompt({ path: { id: s.id }, body: text("my secret is 42") })).data!
    expect(first.parts.find((p) => p.type === "text")).toMatchObject({ text: "noted [checked]" })
    const offered = h.llm.requests.at(-1).tools.find((t: any) => t.function.name === "list")
    expect(offered.function.description).toBe("LIST TOOL (shaped)")
    await c.session.prompt({ path: { id: s.id }, body: text("what was it?") })
    const history = JSON.stringify(h.llm.requests.at(-1).messages)
    expect(history).toContain("my [redacted] is 42")
    expect(history).not.toContain("my secret")
    // What is stored is untouched: the transform only shapes what the model sees.
    const stored = (await c.session.messages({ path: { id: s.id } })).data!
    expect(JSON.stringify(stored)).toContain("my secret is 42")

    h.llm.enqueue({ text: "hello!" })
    await c.session.command({ path: { id: s.id }, body: { command: "hello", arguments: "Ada" } })
    expect(JSON.stringify(h.llm.requests.at(-1).messages)).toContain("added by plugin for hello Ada")

    h.llm.enqueue({ text: "Summary of the work." })
    await c.session.summarize({ path: { id: s.id }, body: { providerID: "mock", modelID: "mock-model" } })
    expect(JSON.stringify(h.llm.requests.at(-1).messages.at(-1))).toContain("PLUGIN CONTEXT: keep the todo list")

    await c.instance.dispose()
    await until(() => shaper().disposed, 3000, "the dispose hook")
  })
})

describe("a server with a password", () => {
  // Last in this file: the plugins' client follows the server started last in the process.
  test("the plugins' client carries the password", async () => {
    const server = await startTestServer({ directory: project(h.llm), auth: { username: "opencode", password: "s3cret-pw" } })
    try {
      const dir = project(h.llm, { files: { ".opencode/plugin/spy.ts": spyPlugin } })
      const headers = { authorization: "Basic " + btoa("opencode:s3cret-pw") }
      const res = await server.fetch(`/experimental/plugin?directory=${encodeURIComponent(dir)}`, { headers })
      expect(((await res.json()) as any[])[0].status).toBe("loaded")
      expect(seen().paths[dir]?.directory).toBe(dir)
      expect((await server.fetch(`/experimental/plugin?directory=${encodeURIComponent(dir)}`)).status).toBe(401)
    } finally {
      await server.stop()
    }
  })
})
