import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { until } from "../helpers/wait"
import { getInstance, disposeInstance } from "../../src/project/instance"
import * as Mcp from "../../src/mcp"
import { ToolError, type ToolContext, type ToolDef } from "../../src/tool/tool"
import { noSubagents } from "../tool/harness"
import { startHttpMcp } from "./fixtures/http-server"
import { startSseMcp } from "./fixtures/sse-server"
import { PIXEL } from "./fixtures/tools"

const STDIO = path.join(import.meta.dir, "fixtures/stdio-server.ts")
const local = (env: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({
  type: "local" as const,
  command: [process.execPath, STDIO],
  environment: env,
  ...extra,
})

function ctx(abort = new AbortController().signal): ToolContext {
  return { instance: undefined as any, sessionID: "ses_1", messageID: "msg_1", callID: "call_1", agent: "build", abort, subagent: noSubagents, metadata() {}, async ask() {} }
}

function project(mcp: Record<string, unknown>) {
  const dir = tmpdir("mcp-")
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify({ mcp }))
  return dir
}

let s: TestServer
let http: ReturnType<typeof startHttpMcp>
let sse: Awaited<ReturnType<typeof startSseMcp>>
beforeAll(async () => {
  s = await startTestServer()
  http = startHttpMcp({ token: "tok" })
  sse = await startSseMcp()
})
afterAll(async () => {
  http.stop()
  sse.stop()
  await s.stop()
})

describe("servers from config", () => {
  let dir: string
  let tools: Map<string, ToolDef>
  beforeAll(async () => {
    dir = project({
      local: local({ GREETING: "hello" }),
      remote: { type: "remote", url: http.url, headers: { Authorization: "Bearer tok" } },
      legacy: { type: "remote", url: sse.url },
      off: local({}, { enabled: false }),
      missing: { type: "local", command: ["/nonexistent/mcp-server"] },
      early: local({ FIXTURE_EXIT: "2", FIXTURE_STDERR: "cannot start: no database" }),
      refused: { type: "remote", url: "http://127.0.0.1:1/mcp" },
      noauth: { type: "remote", url: http.url },
      bad: { type: "local", command: "not-an-array" },
    })
    tools = new Map((await Mcp.mcpTools(await getInstance(dir))).map((t) => [t.id, t]))
  })
  afterAll(() => disposeInstance(dir))

  test("GET /mcp: connected, disabled and failed servers with their errors", async () => {
    const { data, error } = await s.sdk(dir).mcp.status()
    expect(error).toBeUndefined()
    expect(data!.local).toEqual({ status: "connected" })
    expect(data!.remote).toEqual({ status: "connected" })
    expect(data!.legacy).toEqual({ status: "connected" })
    expect(data!.off).toEqual({ status: "disabled" })
    const failed = (name: string) => {
      const st = data![name] as { status: string; error: string }
      expect(st.status).toBe("failed")
      return st.error
    }
    expect(failed("missing")).toMatch(/ENOENT|not found|no such file/i)
    expect(failed("early")).toContain("cannot start: no database")
    expect(failed("refused")).toMatch(/refused|connect|fetch/i)
    expect(data!.noauth).toMatchObject({ status: "needs_client_registration" })
    expect((data!.noauth as { error: string }).error).toContain("oauth.clientId")
    expect(failed("bad")).toContain("`command` must be a non-empty array")
  })

  test("tools are offered under namespaced, sanitized ids", () => {
    for (const id of ["local_echo", "local_add_numbers", "remote_echo", "remote_pixel"]) expect(tools.has(id)).toBe(true)
    expect([...tools.keys()].some((id) => id.startsWith("off_") || id.startsWith("missing_"))).toBe(false)
    const add = tools.get("local_add_numbers")!
    expect(add.description).toBe("Add two numbers")
    expect((add.parameters as any).properties.a.type).toBe("number")
  })

  test("calling a tool returns its text; environment and cwd come from the config", async () => {
    expect((await tools.get("local_echo")!.execute({ text: "hi" }, ctx())).output).toBe("echo: hi")
    expect((await tools.get("remote_add_numbers")!.execute({ a: 2, b: 3 }, ctx())).output).toBe("5")
    expect((await tools.get("legacy_echo")!.execute({ text: "over sse" }, ctx())).output).toBe("echo: over sse")
    expect((await tools.get("local_env")!.execute({ name: "GREETING" }, ctx())).output).toBe(`hello in ${dir}`)
  })

  test("image content becomes an attachment", async () => {
    const r = await tools.get("remote_pixel")!.execute({}, ctx())
    expect(r.output).toBe("here is a pixel")
    expect(r.attachments).toEqual([{ type: "file", mime: "image/png", url: `data:image/png;base64,${PIXEL}` }])
  })

  test("a tool error, bad arguments, an abort and a timeout reach the model as ToolErrors", async () => {
    await expect(tools.get("local_fail")!.execute({}, ctx())).rejects.toThrow("the thing is broken")
    await expect(tools.get("local_add_numbers")!.execute({ a: "x" }, ctx())).rejects.toBeInstanceOf(ToolError)

    const ac = new AbortController()
    const slow = tools.get("local_slow")!.execute({ ms: 10_000 }, ctx(ac.signal))
    setTimeout(() => ac.abort(), 50)
    await expect(slow).rejects.toThrow("aborted")

    process.env.OPENCODE_MCP_TOOL_TIMEOUT = "100"
    try {
      const [quick] = (await Mcp.mcpTools(await getInstance(dir))).filter((t) => t.id === "local_slow")
      await expect(quick!.execute({ ms: 5_000 }, ctx())).rejects.toThrow("did not answer slow within 100 ms")
    } finally {
      delete process.env.OPENCODE_MCP_TOOL_TIMEOUT
    }
  })
})

describe("POST /mcp, connect, disconnect", () => {
  test("adding a server connects it and answers every status", async () => {
    const dir = project({})
    const events = sseReader(await s.fetch(`/event?directory=${encodeURIComponent(dir)}`))
    const { data, error } = await s.sdk(dir).mcp.add({ body: { name: "added", config: local() } })
    expect(error).toBeUndefined()
    expect(data).toEqual({ added: { status: "connected" } })
    await events.next((e) => e.data.type === "mcp.tools.changed" && e.data.properties.server === "added")
    const ids = (await Mcp.mcpTools(await getInstance(dir))).map((t) => t.id)
    expect(ids).toContain("added_echo")

    const off = await s.sdk(dir).mcp.add({ body: { name: "later", config: { ...local(), enabled: false } } })
    expect(off.data).toEqual({ added: { status: "connected" }, later: { status: "disabled" } })

    expect((await s.sdk(dir).mcp.disconnect({ path: { name: "added" } })).data).toBe(true)
    expect((await s.sdk(dir).mcp.status()).data!.added).toEqual({ status: "disabled" })
    expect((await Mcp.mcpTools(await getInstance(dir))).map((t) => t.id)).toEqual([])

    expect((await s.sdk(dir).mcp.connect({ path: { name: "later" } })).data).toBe(true)
    expect((await Mcp.mcpTools(await getInstance(dir))).map((t) => t.id)).toContain("later_echo")
    await disposeInstance(dir)
  })

  test("a server that can't connect is added as failed, and connect answers false", async () => {
    const dir = project({})
    const { data } = await s.sdk(dir).mcp.add({ body: { name: "nowhere", config: { type: "remote", url: "http://127.0.0.1:1/mcp" } } })
    expect(data!.nowhere!.status).toBe("failed")
    expect((await s.sdk(dir).mcp.connect({ path: { name: "nowhere" } })).data).toBe(false)
  })

  test("invalid bodies and unknown names are refused", async () => {
    const dir = project({})
    const bad = await s.fetch(`/mcp?directory=${encodeURIComponent(dir)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x", config: { type: "local" } }),
    })
    expect(bad.status).toBe(400)
    expect((await bad.json()).name).toBe("BadRequest")
    const unknown = await s.sdk(dir).mcp.connect({ path: { name: "ghost" } })
    expect(unknown.response.status).toBe(404)
    expect((await s.sdk(dir).mcp.disconnect({ path: { name: "ghost" } })).response.status).toBe(404)
  })

  test("OAuth endpoints: a server without OAuth or a local one is a clear 400, an unknown one a 404", async () => {
    const dir = project({ remote: { type: "remote", url: http.url, headers: { Authorization: "Bearer tok" } }, off: { type: "remote", url: http.url, oauth: false }, local: local() })
    const start = await s.sdk(dir).mcp.auth.start({ path: { name: "remote" } })
    expect(start.response.status).toBe(400)
    expect((start.error as any).data.message).toContain('OAuth with "remote" failed')
    expect(((await s.sdk(dir).mcp.auth.start({ path: { name: "off" } })).error as any).data.message).toContain("oauth: false")
    expect(((await s.sdk(dir).mcp.auth.start({ path: { name: "local" } })).error as any).data.message).toContain("remote servers only")
    const cb = await s.sdk(dir).mcp.auth.callback({ path: { name: "remote" }, body: { code: "c" } })
    expect((cb.error as any).data.message).toContain("No sign-in is in progress")
    expect((await s.sdk(dir).mcp.auth.remove({ path: { name: "remote" } })).data).toEqual({ success: true })
    expect((await s.sdk(dir).mcp.auth.start({ path: { name: "ghost" } })).response.status).toBe(404)
    await disposeInstance(dir)
  })
})

describe("failures never take the server down", () => {
  test("a server crashing mid-session turns failed and its tools go away", async () => {
    const dir = project({ fragile: local({ FIXTURE_STDERR: "starting fragile" }) })
    const instance = await getInstance(dir)
    const crash = (await Mcp.mcpTools(instance)).find((t) => t.id === "fragile_crash")!
    await crash.execute({}, ctx())
    await until(async () => (await Mcp.status(instance)).fragile!.status !== "connected", 5000, "the crashed server to leave connected")
    const st = (await s.sdk(dir).mcp.status()).data!.fragile as { status: string; error: string }
    expect(st.status).toBe("failed")
    expect(st.error).toContain("closed the connection")
    expect(await Mcp.mcpTools(instance)).toEqual([])
    expect((await s.fetch("/global/health")).status).toBe(200)
    await disposeInstance(dir)
  })

  test("a server that never answers fails after its timeout", async () => {
    const dir = project({ mute: { type: "local", command: ["sh", "-c", "cat > /dev/null"], timeout: 300 } })
    const started = Date.now()
    const { data } = await s.sdk(dir).mcp.status()
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(data!.mute).toMatchObject({ status: "failed" })
    expect((data!.mute as any).error).toMatch(/300 ms|timed out/i)
  })

  test("dispose does not wait for a connection in progress, and stops its process", async () => {
    const marker = `mute-${Date.now()}`
    const dir = project({ mute: { type: "local", command: ["sh", "-c", `cat > /dev/null # ${marker}`] } })
    const pending = Mcp.status(await getInstance(dir))
    await until(() => processes(marker) > 0, 5000, "the MCP server process")
    const started = Date.now()
    await disposeInstance(dir)
    expect(Date.now() - started).toBeLessThan(2_000)
    expect((await pending).mute!.status).toBe("disabled")
    await until(() => processes(marker) === 0, 5000, "the MCP server process to exit")
  })

  test("dispose stops local servers", async () => {
    const dir = project({ one: local() })
    const instance = await getInstance(dir)
    const env = (await Mcp.mcpTools(instance)).find((t) => t.id === "one_env")!
    expect((await env.execute({ name: "X" }, ctx())).output).toContain("(unset)")
    await disposeInstance(dir)
    await expect(env.execute({ name: "X" }, ctx())).rejects.toBeInstanceOf(ToolError)
  })
})

function processes(marker: string) {
  let n = 0
  for (const pid of fs.readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker)) n++
    } catch {}
  }
  return n
}

describe("config changes without a restart", () => {
  test("PATCH /config adds, changes and removes servers; POST /mcp servers stay", async () => {
    const dir = project({})
    const c = s.sdk(dir)
    expect((await c.mcp.status()).data).toEqual({})
    await c.mcp.add({ body: { name: "dynamic", config: local() } })

    const patched = await c.config.update({ body: { mcp: { fromconfig: local() } } as any })
    expect(patched.error).toBeUndefined()
    const st = (await c.mcp.status()).data!
    expect(st.fromconfig).toEqual({ status: "connected" })
    expect(st.dynamic).toEqual({ status: "connected" })
    const ids = (await Mcp.mcpTools(await getInstance(dir))).map((t) => t.id)
    expect(ids.some((id) => id.startsWith("fromconfig_"))).toBe(true)

    await c.config.update({ body: { mcp: { fromconfig: local({}, { enabled: false }) } } as any })
    expect((await c.mcp.status()).data!.fromconfig).toEqual({ status: "disabled" })

    // Removing the key from the file: rewrite the project config without it.
    fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify({ mcp: {} }))
    await c.config.get()
    const after = (await c.mcp.status()).data!
    expect(after.fromconfig).toBeUndefined()
    expect(after.dynamic).toEqual({ status: "connected" })
    await disposeInstance(dir)
  })
})
