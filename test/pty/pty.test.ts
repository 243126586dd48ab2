import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader, seqOf } from "../helpers/sse"
import { alive, until } from "../helpers/wait"
import { terminalSocket } from "./terminal-socket"
import { frames, REPLAY_CHUNK } from "../../src/pty/protocol"

// A shell without rc files: quick to start and the same on every machine.
const BASH = { command: "bash", args: ["--norc", "--noprofile"] }

const gone = (pid: number, timeoutMs = 2000) => until(() => !alive(pid), timeoutMs, `process ${pid} to exit`).then(
  () => true,
  () => false,
)

const upgradeHeaders = { upgrade: "websocket", connection: "Upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" }

describe("pty", () => {
  let s: TestServer
  let events: ReturnType<typeof sseReader>
  const q = () => "directory=" + encodeURIComponent(s.directory)
  const wsUrl = (id: string, extra = "") => `${s.base.replace(/^http/, "ws")}/pty/${id}/connect?${q()}${extra}`

  beforeAll(async () => {
    s = await startTestServer()
    events = sseReader(await s.fetch("/event?" + q()))
  })
  afterAll(async () => {
    events.cancel()
    await s.stop()
  })

  const create = async (body: Record<string, unknown> = BASH) => {
    const res = await s.client.pty.create({ body })
    if (!res.data) throw new Error(`create failed: ${res.response.status} ${JSON.stringify(res.error)}`)
    return res.data
  }

  test("create, list and get via the SDK; a WebSocket carries input and output", async () => {
    const info = await create({ title: "first" })
    expect(info.id).toMatch(/^pty_/)
    expect(info).toMatchObject({ title: "first", cwd: s.directory, status: "running" })
    expect(info.pid).toBeGreaterThan(0)
    expect(path.isAbsolute(info.command)).toBe(true)
    expect(alive(info.pid)).toBe(true)
    const created = await events.next((e) => e.data.type === "pty.created" && e.data.properties.info.id === info.id)
    expect(created.data.properties.info).toEqual(info)

    expect((await s.client.pty.list()).data!.map((p) => p.id)).toContain(info.id)
    expect((await s.client.pty.get({ path: { id: info.id } })).data).toEqual(info)

    const term = terminalSocket(wsUrl(info.id))
    await term.waitCursor()
    term.send("echo hello\r")
    // The echoed command line ends "echo hello\r\n"; the output is a line of its own.
    await term.waitFor(/[\r\n]hello\r\n/)
    term.send("tty\r")
    await term.waitFor(/\/dev\/pts\/\d+/)
    term.close()
    await s.client.pty.remove({ path: { id: info.id } })
  })

  test("a client connecting later gets the recent output first, then the cursor; ?cursor resumes", async () => {
    const info = await create()
    const a = terminalSocket(wsUrl(info.id))
    a.send("echo mark-$((6*7))\r")
    await a.waitFor(/mark-42\r\n/)
    a.close()

    const b = terminalSocket(wsUrl(info.id))
    await b.waitCursor()
    const meta = b.frames.findIndex((f) => typeof f !== "string")
    expect(meta).toBeGreaterThan(0)
    expect(b.frames.slice(0, meta).join("")).toContain("mark-42")
    const resumeAt = b.cursors[0]
    expect(resumeAt).toBe(b.output.length)
    b.send("echo after-$((1+1))\r")
    await b.waitFor(/after-2\r\n/)
    b.close()

    const c = terminalSocket(wsUrl(info.id, `&cursor=${resumeAt}`))
    await c.waitCursor()
    expect(c.output).toContain("after-2")
    expect(c.output).not.toContain("mark-42")
    expect(c.cursors[0]).toBe(resumeAt + c.output.length)

    const d = terminalSocket(wsUrl(info.id, "&cursor=-1"))
    await d.waitCursor()
    expect(typeof d.frames[0]).toBe("object")
    expect(d.cursors[0]).toBe(c.cursors[0])
    c.close()
    d.close()

    const bad = await s.fetch(`/pty/${info.id}/connect?${q()}&cursor=abc`, { headers: upgradeHeaders })
    expect(bad.status).toBe(400)
    await s.client.pty.remove({ path: { id: info.id } })
  })

  test("the scrollback is bounded: a late client gets the newest 256K of a long output", async () => {
    const info = await create({ command: "sh", args: ["-c", "yes 0123456789 | head -n 60000; echo end-$((1+2)); sleep 30"] })
    const early = terminalSocket(wsUrl(info.id))
    await early.waitFor(/end-3\r\n/)
    expect(early.output.length).toBeGreaterThan(700_000)
    const late = terminalSocket(wsUrl(info.id))
    await late.waitCursor()
    expect(late.cursors[0]).toBe(early.output.length)
    expect(late.output.length).toBeGreaterThanOrEqual(256 * 1024)
    expect(late.output.length).toBeLessThan(400 * 1024)
    expect(early.output.endsWith(late.output)).toBe(true)
    // Replay comes in bounded frames.
    for (const f of late.frames) if (typeof f === "string") expect(f.length).toBeLessThanOrEqual(REPLAY_CHUNK)
    early.close()
    late.close()
    await s.client.pty.remove({ path: { id: info.id } })
  })

  test("resize reaches the program; a new title is published as pty.updated", async () => {
    const info = await create()
    const resized = await s.client.pty.update({ path: { id: info.id }, body: { size: { rows: 40, cols: 100 } } })
    expect(resized.data).toEqual(info)
    const term = terminalSocket(wsUrl(info.id))
    term.send("stty size\r")
    await term.waitFor(/[\r\n]40 100\r\n/)

    const renamed = await s.client.pty.update({ path: { id: info.id }, body: { title: "build" } })
    expect(renamed.data!.title).toBe("build")
    const updated = await events.next((e) => e.data.type === "pty.updated" && e.data.properties.info.title === "build")
    expect(updated.data.properties.info.id).toBe(info.id)
    expect((await s.client.pty.get({ path: { id: info.id } })).data!.title).toBe("build")

    const zero = await s.client.pty.update({ path: { id: info.id }, body: { size: { rows: 0, cols: 80 } } })
    expect(zero.response.status).toBe(400)
    term.close()
    await s.client.pty.remove({ path: { id: info.id } })
  })

  test("a process that exits: pty.exited with its code, the socket closes, the terminal is gone", async () => {
    const info = await create()
    const term = terminalSocket(wsUrl(info.id))
    await term.waitCursor()
    term.send("exit 3\r")
    expect((await term.waitClosed()).code).toBe(1000)
    const exited = await events.next((e) => e.data.type === "pty.exited" && e.data.properties.id === info.id)
    expect(exited.data.properties).toEqual({ id: info.id, exitCode: 3 })
    await events.next((e) => e.data.type === "pty.deleted" && e.data.properties.id === info.id)
    expect((await s.client.pty.get({ path: { id: info.id } })).response.status).toBe(404)
    expect((await s.client.pty.list()).data!.map((p) => p.id)).not.toContain(info.id)
    expect(await gone(info.pid)).toBe(true)
  })

  test("delete hangs up the shell and its jobs, answers once the process is gone", async () => {
    const info = await create()
    const term = terminalSocket(wsUrl(info.id))
    term.send("sleep 300 & echo bg=$!\r")
    await term.waitFor(/bg=(\d+)\r\n/)
    const job = Number(/bg=(\d+)\r\n/.exec(term.output)![1])
    expect(alive(job)).toBe(true)

    const removed = await s.client.pty.remove({ path: { id: info.id } })
    expect(removed.data).toBe(true)
    expect(alive(info.pid)).toBe(false)
    expect(await gone(job)).toBe(true)
    expect((await term.waitClosed()).code).toBe(1000)
    const exited = await events.next((e) => e.data.type === "pty.exited" && e.data.properties.id === info.id)
    const deleted = await events.next((e) => e.data.type === "pty.deleted" && e.data.properties.id === info.id)
    expect(seqOf(deleted.id)).toBeGreaterThan(seqOf(exited.id))
    expect((await s.client.pty.remove({ path: { id: info.id } })).response.status).toBe(404)
  })

  test("unknown ids answer 404 on every route, malformed ones 400", async () => {
    const id = "pty_000000000000unknownunknown"
    const get = await s.client.pty.get({ path: { id } })
    expect(get.response.status).toBe(404)
    expect(get.error).toMatchObject({ name: "NotFoundError" })
    expect((await s.client.pty.update({ path: { id }, body: { title: "x" } })).response.status).toBe(404)
    expect((await s.client.pty.remove({ path: { id } })).response.status).toBe(404)
    expect((await s.fetch(`/pty/${id}/connect?${q()}`, { headers: upgradeHeaders })).status).toBe(404)
    const ws = terminalSocket(wsUrl(id))
    expect(await ws.opened()).toBe(false)
    expect((await s.fetch(`/pty/not-a-pty-id?${q()}`)).status).toBe(400)
  })

  test("cwd stays inside the project; env is passed without the server's credentials", async () => {
    fs.mkdirSync(path.join(s.directory, "sub"), { recursive: true })
    const before = process.env.OPENCODE_SERVER_PASSWORD
    process.env.OPENCODE_SERVER_PASSWORD = "leak-me"
    let info
    try {
      info = await create({ command: "sh", args: ["-c", 'echo "dir=$(pwd) pw=[$OPENCODE_SERVER_PASSWORD] foo=$FOO term=$TERM"; sleep 30'], cwd: "sub", env: { FOO: "bar" } })
    } finally {
      if (before === undefined) delete process.env.OPENCODE_SERVER_PASSWORD
      else process.env.OPENCODE_SERVER_PASSWORD = before
    }
    expect(info.cwd).toBe(path.join(s.directory, "sub"))
    expect(info.command).toBe("sh")
    const term = terminalSocket(wsUrl(info.id))
    await term.waitFor(/foo=bar/)
    expect(term.output).toContain(`dir=${path.join(s.directory, "sub")} pw=[] foo=bar term=xterm-256color`)
    term.close()
    await s.client.pty.remove({ path: { id: info.id } })

    const outside = await s.client.pty.create({ body: { cwd: "/" } })
    expect(outside.response.status).toBe(403)
    expect((await s.client.pty.create({ body: { cwd: "../.." } })).response.status).toBe(403)
    const missing = await s.client.pty.create({ body: { cwd: "no-such-dir" } })
    expect(missing.response.status).toBe(400)
    expect((missing.error as any).data.message).toContain("no-such-dir")
    const unknown = await s.client.pty.create({ body: { command: "no-such-command-xyz" } })
    expect(unknown.response.status).toBe(400)
    expect((unknown.error as any).data.message).toContain("no-such-command-xyz")
  })

  test("pty.shells lists installed shells; POSIX ones are acceptable", async () => {
    const res = await s.fetch(`/pty/shells?${q()}`)
    expect(res.status).toBe(200)
    const shells = (await res.json()) as Array<{ path: string; name: string; acceptable: boolean }>
    const sh = shells.find((x) => x.name === "sh" || x.name === "bash")
    expect(sh).toBeDefined()
    expect(sh!.acceptable).toBe(true)
    for (const x of shells) expect(fs.existsSync(x.path)).toBe(true)
  })

  test("a page from another origin may not attach; tickets need the opt-in header", async () => {
    const info = await create()
    const foreign = await s.fetch(`/pty/${info.id}/connect?${q()}`, { headers: { ...upgradeHeaders, origin: "https://evil.example" } })
    expect(foreign.status).toBe(403)
    const local = terminalSocket(wsUrl(info.id), { headers: { origin: "http://localhost:3000" } })
    expect(await local.opened()).toBe(true)
    local.close()
    const noHeader = await s.fetch(`/pty/${info.id}/connect-token?${q()}`, { method: "POST" })
    expect(noHeader.status).toBe(403)
    const token = await s.fetch(`/pty/${info.id}/connect-token?${q()}`, { method: "POST", headers: { "x-opencode-ticket": "1" } })
    expect(token.status).toBe(200)
    const { ticket, expires_in } = (await token.json()) as { ticket: string; expires_in: number }
    expect(expires_in).toBe(60)
    const first = terminalSocket(wsUrl(info.id, `&ticket=${ticket}`))
    expect(await first.opened()).toBe(true)
    first.close()
    // Spent: without a password the route itself refuses it.
    expect((await s.fetch(`/pty/${info.id}/connect?${q()}&ticket=${ticket}`, { headers: upgradeHeaders })).status).toBe(403)
    await s.client.pty.remove({ path: { id: info.id } })
  })

  test("disposing the instance kills its terminals", async () => {
    const info = await create()
    expect((await s.fetch(`/instance/dispose?${q()}`, { method: "POST" })).status).toBe(200)
    expect(await gone(info.pid)).toBe(true)
    expect((await s.client.pty.list()).data).toEqual([])
  })
})

describe("pty with a password", () => {
  const auth = { username: "opencode", password: "pty-secret" }
  const authorization = "Basic " + Buffer.from(`${auth.username}:${auth.password}`).toString("base64")
  let s: TestServer
  let id: string
  let pid: number
  const q = () => "directory=" + encodeURIComponent(s.directory)
  const wsUrl = (extra = "") => `${s.base.replace(/^http/, "ws")}/pty/${id}/connect?${q()}${extra}`

  beforeAll(async () => {
    s = await startTestServer({ auth })
    const res = await s.fetch(`/pty?${q()}`, { method: "POST", headers: { authorization, "content-type": "application/json" }, body: JSON.stringify(BASH) })
    expect(res.status).toBe(200)
    ;({ id, pid } = (await res.json()) as { id: string; pid: number })
  })

  test("the upgrade needs credentials: none → 401; the header or auth_token work", async () => {
    expect((await s.fetch(`/pty/${id}/connect?${q()}`, { headers: upgradeHeaders })).status).toBe(401)
    const anonymous = terminalSocket(wsUrl())
    expect(await anonymous.opened()).toBe(false)

    const withHeader = terminalSocket(wsUrl(), { headers: { authorization } })
    await withHeader.waitCursor()
    withHeader.send("echo ok-$((3*3))\r")
    await withHeader.waitFor(/ok-9\r\n/)
    withHeader.close()

    const token = encodeURIComponent(Buffer.from(`${auth.username}:${auth.password}`).toString("base64"))
    const withQuery = terminalSocket(wsUrl(`&auth_token=${token}`))
    expect(await withQuery.opened()).toBe(true)
    withQuery.close()
  })

  test("a ticket stands in for credentials once, for its own terminal only", async () => {
    const denied = await s.fetch(`/pty/${id}/connect-token?${q()}`, { method: "POST", headers: { "x-opencode-ticket": "1" } })
    expect(denied.status).toBe(401)
    const mint = () =>
      s.fetch(`/pty/${id}/connect-token?${q()}`, { method: "POST", headers: { authorization, "x-opencode-ticket": "1" } }).then((r) => r.json() as Promise<{ ticket: string }>)

    const { ticket } = await mint()
    const term = terminalSocket(wsUrl(`&ticket=${ticket}`))
    await term.waitCursor()
    term.send("echo ticket-$((5*5))\r")
    await term.waitFor(/ticket-25\r\n/)
    term.close()
    expect((await s.fetch(`/pty/${id}/connect?${q()}&ticket=${ticket}`, { headers: upgradeHeaders })).status).toBe(401)

    const other = await mint()
    const elsewhere = `/pty/pty_000000000000someotherpty0/connect?${q()}&ticket=${other.ticket}`
    expect((await s.fetch(elsewhere, { headers: upgradeHeaders })).status).toBe(401)
    // Not an upgrade: the ticket does not open plain HTTP routes either.
    expect((await s.fetch(`/pty/${id}/connect?${q()}&ticket=${other.ticket}`)).status).toBe(401)
    expect((await s.fetch(`/pty?${q()}&ticket=${other.ticket}`)).status).toBe(401)
  })

  test("stopping the server kills the terminals", async () => {
    expect(alive(pid)).toBe(true)
    await s.stop()
    expect(await gone(pid)).toBe(true)
  })
})

test("replay frames never split a surrogate pair", () => {
  const text = "a".repeat(REPLAY_CHUNK - 1) + "😀" + "b"
  const out = frames(text)
  expect(out.join("")).toBe(text)
  expect(out[0].length).toBe(REPLAY_CHUNK - 1)
  expect(out[1]).toStartWith("😀")
})
