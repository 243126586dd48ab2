import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { getInstance } from "../../src/project/instance"
import * as Permission from "../../src/permission/permission"
import { PermissionDeniedError } from "../../src/tool/tool"

let s: TestServer
let events: ReturnType<typeof sseReader>
let n = 0
const seen = new Set<string>()

beforeAll(async () => {
  const dir = tmpdir()
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify({ permission: { bash: { "*": "ask", "ls *": "allow", "rm *": "deny" } } }))
  s = await startTestServer({ directory: dir })
  events = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(dir)))
  await events.next((e) => e.data.type === "server.connected")
})
afterAll(async () => {
  events.cancel()
  await s.stop()
})

const session = () => `ses_test${++n}`

async function askBash(sessionID: string, command: string, abort = new AbortController().signal) {
  const instance = await getInstance(s.directory)
  return Permission.ask({
    instance,
    sessionID,
    messageID: "msg_1",
    callID: "call_" + command,
    agent: { name: "build" },
    request: { type: "bash", pattern: command, title: `Run ${command}`, metadata: { command } },
    abort,
  })
}

/** Starts an ask and returns it with the permission.updated event it published. */
async function pending(sessionID: string, command: string, abort?: AbortSignal) {
  const result = askBash(sessionID, command, abort).then(
    () => "allowed" as const,
    (e) => e as Error,
  )
  const ev = await events.next(
    (e) => e.data.type === "permission.updated" && e.data.properties.sessionID === sessionID && e.data.properties.pattern === command && !seen.has(e.data.properties.id),
  )
  seen.add(ev.data.properties.id)
  return { result, info: ev.data.properties }
}

const reply = (sessionID: string, permissionID: string, response: "once" | "always" | "reject") =>
  s.client.postSessionIdPermissionsPermissionId({ path: { id: sessionID, permissionID }, body: { response } })

describe("rules applied by ask()", () => {
  test("allow resolves at once, deny throws a message for the model, neither publishes", async () => {
    const sid = session()
    await askBash(sid, "ls -la")
    const err = await askBash(sid, "rm -rf build").catch((e) => e)
    expect(err).toBeInstanceOf(PermissionDeniedError)
    expect(err.message).toContain('bash "rm -rf build"')
    expect(events.events.some((e) => e.data.properties?.sessionID === sid)).toBe(false)
  })

  test("the agent's permission overrides the config", async () => {
    const instance = await getInstance(s.directory)
    const base = { instance, sessionID: session(), messageID: "msg_1", abort: new AbortController().signal }
    await Permission.ask({ ...base, agent: { name: "yolo", permission: { bash: { "*": "allow" } } }, request: { type: "bash", pattern: "make", title: "make" } })
    const err = await Permission.ask({ ...base, agent: { name: "plan", permission: { edit: "deny" } }, request: { type: "edit", pattern: "a.ts", title: "Edit a.ts" } }).catch((e) => e)
    expect(err).toBeInstanceOf(PermissionDeniedError)
    expect(err.message).toContain('agent "plan"')
  })
})

describe("ask answered over HTTP with the SDK", () => {
  test("once: the call proceeds, permission.replied follows, the next identical call asks again", async () => {
    const sid = session()
    const { result, info } = await pending(sid, "make test")
    expect(info).toMatchObject({ type: "bash", pattern: "make test", sessionID: sid, messageID: "msg_1", callID: "call_make test", title: "Run make test", metadata: { command: "make test" } })
    expect(info.id).toMatch(/^per_/)
    const asked = events.events.find((e) => e.data.type === "permission.asked" && e.data.properties.id === info.id)
    expect(asked?.data.properties).toMatchObject({ permission: "bash", patterns: ["make test"], tool: { messageID: "msg_1", callID: "call_make test" } })

    const listed = await s.fetch("/permission?directory=" + encodeURIComponent(s.directory)).then((r) => r.json())
    expect(listed.map((p: any) => p.id)).toContain(info.id)

    const res = await reply(sid, info.id, "once")
    expect(res.response.status).toBe(200)
    expect(res.data).toBe(true)
    expect(await result).toBe("allowed")
    const replied = await events.next((e) => e.data.type === "permission.replied" && e.data.properties.permissionID === info.id)
    expect(replied.data.properties).toEqual({ sessionID: sid, permissionID: info.id, response: "once", requestID: info.id, reply: "once" })

    const again = await pending(sid, "make test")
    await reply(sid, again.info.id, "once")
    expect(await again.result).toBe("allowed")
  })

  test("always: remembered for the session, and frees other waiting requests it covers", async () => {
    const sid = session()
    const a = await pending(sid, "npm run build")
    const b = await pending(sid, "npm run build")
    const c = await pending(sid, "npm publish")
    await reply(sid, a.info.id, "always")
    expect(await a.result).toBe("allowed")
    expect(await b.result).toBe("allowed")
    // Not covered: still waiting.
    expect(await Promise.race([c.result, Bun.sleep(50).then(() => "waiting")])).toBe("waiting")
    await askBash(sid, "npm run build")
    // Another session is not covered.
    const other = await pending(session(), "npm run build")
    await reply(other.info.sessionID, other.info.id, "reject")
    await reply(sid, c.info.id, "reject")
    expect(await c.result).toBeInstanceOf(PermissionDeniedError)
  })

  test("reject: the tool gets a PermissionDeniedError the model can read", async () => {
    const sid = session()
    const { result, info } = await pending(sid, "curl example.com")
    await reply(sid, info.id, "reject")
    const err = (await result) as Error
    expect(err).toBeInstanceOf(PermissionDeniedError)
    expect(err.message).toContain("rejected")
    expect(err.message).toContain("Run curl example.com")
  })

  test("unknown, answered and mismatched ids are 404", async () => {
    const unknown = await reply("ses_nope", "per_nope", "once")
    expect(unknown.response.status).toBe(404)
    expect((unknown.error as any).name).toBe("NotFoundError")

    const sid = session()
    const { result, info } = await pending(sid, "make a")
    expect((await reply("ses_other", info.id, "once")).response.status).toBe(404)
    await reply(sid, info.id, "once")
    await result
    const twice = await reply(sid, info.id, "once")
    expect(twice.response.status).toBe(404)
    expect((twice.error as any).data.message).toContain("already answered")

    const bad = await s.fetch(`/session/${sid}/permissions/${info.id}?directory=${encodeURIComponent(s.directory)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response: "sure" }),
    })
    expect(bad.status).toBe(400)
  })

  test("the 1.18 reply route answers too", async () => {
    const sid = session()
    const { result, info } = await pending(sid, "make b")
    const res = await s.fetch(`/permission/${info.id}/reply?directory=${encodeURIComponent(s.directory)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reply: "reject", message: "use make c" }),
    })
    expect(res.status).toBe(200)
    expect(((await result) as Error).message).toContain("use make c")
  })

  test("abort rejects the pending request and closes it for clients", async () => {
    const sid = session()
    const ctl = new AbortController()
    const { result, info } = await pending(sid, "sleep 100", ctl.signal)
    ctl.abort()
    const err = (await result) as Error
    expect(err).toBeInstanceOf(PermissionDeniedError)
    expect(err.message).toContain("aborted")
    await events.next((e) => e.data.type === "permission.replied" && e.data.properties.permissionID === info.id && e.data.properties.response === "reject")
    expect((await reply(sid, info.id, "once")).response.status).toBe(404)
    // An already-aborted signal never creates a request.
    expect(await askBash(sid, "sleep 1", AbortSignal.abort()).catch((e) => e)).toBeInstanceOf(PermissionDeniedError)
  })
})
