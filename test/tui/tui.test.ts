import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.stop()
})

async function events(dir: string) {
  const sse = sseReader(await server.fetch(`/event?directory=${encodeURIComponent(dir)}`))
  await sse.next((e) => e.data.type === "server.connected")
  return sse
}

describe("TUI routes publish tui.* events", () => {
  test("over the SDK's own event stream: append-prompt and show-toast", async () => {
    const dir = tmpdir()
    const client = server.sdk(dir)
    const sub = await client.event.subscribe()
    const seen: any[] = []
    const reading = (async () => {
      for await (const ev of sub.stream) {
        seen.push(ev)
        if ((ev as any).type === "tui.toast.show") break
      }
    })()
    for (let i = 0; i < 100 && !seen.some((e) => e.type === "server.connected"); i++) await Bun.sleep(20)
    expect(seen[0]?.type).toBe("server.connected")
    expect((await client.tui.appendPrompt({ body: { text: "hello @file.ts" } })).data).toBe(true)
    expect((await client.tui.showToast({ body: { title: "Hi", message: "done", variant: "success", duration: 1500 } })).data).toBe(true)
    await Promise.race([reading, Bun.sleep(3000)])
    expect(seen.find((e) => e.type === "tui.prompt.append")?.properties).toEqual({ text: "hello @file.ts" })
    expect(seen.find((e) => e.type === "tui.toast.show")?.properties).toEqual({ title: "Hi", message: "done", variant: "success", duration: 1500 })
  })

  test("open-*, submit-prompt, clear-prompt and execute-command become tui.command.execute", async () => {
    const dir = tmpdir()
    const client = server.sdk(dir)
    const sse = await events(dir)
    const calls: Array<[() => Promise<{ data?: unknown }>, string]> = [
      [() => client.tui.openHelp(), "help.show"],
      [() => client.tui.openSessions(), "session.list"],
      [() => client.tui.openThemes(), "theme.switch"],
      [() => client.tui.openModels(), "model.list"],
      [() => client.tui.submitPrompt(), "prompt.submit"],
      [() => client.tui.clearPrompt(), "prompt.clear"],
      [() => client.tui.executeCommand({ body: { command: "session_new" } }), "session.new"], // old keybind name
      [() => client.tui.executeCommand({ body: { command: "agent.cycle" } }), "agent.cycle"],
    ]
    for (const [call, command] of calls) {
      expect((await call()).data).toBe(true)
      const ev = await sse.next((e) => e.data.type === "tui.command.execute" && e.data.properties.command === command)
      expect(ev.data.properties).toEqual({ command })
    }
    sse.cancel()
  })

  test("publish accepts each tui event and refuses anything else", async () => {
    const dir = tmpdir()
    const client = server.sdk(dir)
    const sse = await events(dir)
    expect((await client.tui.publish({ body: { type: "tui.prompt.append", properties: { text: "x" } } })).data).toBe(true)
    expect((await client.tui.publish({ body: { type: "tui.command.execute", properties: { command: "prompt.submit" } } })).data).toBe(true)
    expect((await client.tui.publish({ body: { type: "tui.toast.show", properties: { message: "m", variant: "warning" } } })).data).toBe(true)
    await sse.next((e) => e.data.type === "tui.prompt.append" && e.data.properties.text === "x")
    await sse.next((e) => e.data.type === "tui.command.execute" && e.data.properties.command === "prompt.submit")
    await sse.next((e) => e.data.type === "tui.toast.show" && e.data.properties.variant === "warning")
    sse.cancel()

    const other = await client.tui.publish({ body: { type: "session.idle", properties: { sessionID: "ses_x" } } as any })
    expect(other.response.status).toBe(400)
    const badToast = await client.tui.showToast({ body: { message: "m", variant: "loud" } as any })
    expect(badToast.response.status).toBe(400)
    expect(JSON.stringify(badToast.error)).toContain("variant")
  })

  test("select-session: 404 for an unknown session, an event for a real one", async () => {
    const dir = tmpdir()
    const missing = await server.fetch(`/tui/select-session?directory=${encodeURIComponent(dir)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionID: "ses_missing" }),
    })
    expect(missing.status).toBe(404)
    const session = (await server.sdk(dir).session.create({ body: {} })).data!
    const sse = await events(dir)
    const ok = await server.fetch(`/tui/select-session?directory=${encodeURIComponent(dir)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionID: session.id }),
    })
    expect(await ok.json()).toBe(true)
    await sse.next((e) => e.data.type === "tui.session.select" && e.data.properties.sessionID === session.id)
    sse.cancel()
  })
})

describe("TUI control queue", () => {
  test("requests made before any client polls are kept and handed out in order", async () => {
    const dir = tmpdir()
    const client = server.sdk(dir)
    await client.tui.appendPrompt({ body: { text: "first" } })
    await client.tui.submitPrompt()
    await client.tui.showToast({ body: { message: "third", variant: "info" } })
    expect((await client.tui.control.next()).data).toEqual({ path: "/tui/append-prompt", body: { text: "first" } })
    expect((await client.tui.control.next()).data).toEqual({ path: "/tui/submit-prompt", body: {} })
    expect((await client.tui.control.next()).data).toEqual({ path: "/tui/show-toast", body: { message: "third", variant: "info" } })
    for (let i = 0; i < 3; i++) expect((await client.tui.control.response({ body: { ok: i } })).data).toBe(true)
    // every handed-out request has been answered: a further answer has nothing to answer
    const extra = await client.tui.control.response({ body: { ok: 4 } })
    expect(extra.response.status).toBe(400)
  })

  test("next long-polls until a request arrives", async () => {
    const dir = tmpdir()
    const client = server.sdk(dir)
    let settled = false
    const polling = client.tui.control.next().then((r) => ((settled = true), r.data))
    await Bun.sleep(100)
    expect(settled).toBe(false)
    await client.tui.executeCommand({ body: { command: "messages_first" } })
    expect(await polling).toEqual({ path: "/tui/execute-command", body: { command: "session.first" } })
  })

  test("a poller that disconnects takes nothing with it", async () => {
    const dir = tmpdir()
    const q = `?directory=${encodeURIComponent(dir)}`
    const abort = new AbortController()
    const gone = server.fetch(`/tui/control/next${q}`, { signal: abort.signal }).catch(() => "aborted")
    await Bun.sleep(50)
    abort.abort()
    expect(await gone).toBe("aborted")
    await Bun.sleep(50)
    await server.sdk(dir).tui.appendPrompt({ body: { text: "kept" } })
    const next = await server.sdk(dir).tui.control.next()
    expect(next.data).toEqual({ path: "/tui/append-prompt", body: { text: "kept" } })
  })

  test("queues are per directory", async () => {
    const a = tmpdir()
    const b = tmpdir()
    await server.sdk(a).tui.appendPrompt({ body: { text: "for a" } })
    await server.sdk(b).tui.appendPrompt({ body: { text: "for b" } })
    expect((await server.sdk(b).tui.control.next()).data).toEqual({ path: "/tui/append-prompt", body: { text: "for b" } })
    expect((await server.sdk(a).tui.control.next()).data).toEqual({ path: "/tui/append-prompt", body: { text: "for a" } })
  })
})

describe("control answers", () => {
  test("a request the server awaits resolves with the client's answer", async () => {
    const { requestControl } = await import("../../src/tui/control")
    const dir = tmpdir()
    const client = server.sdk(dir)
    await client.tui.clearPrompt() // an earlier request nobody awaits
    const answer = requestControl(dir, { path: "/tui/confirm", body: { question: "proceed?" } })
    expect((await client.tui.control.next()).data).toEqual({ path: "/tui/clear-prompt", body: {} })
    expect((await client.tui.control.next()).data).toEqual({ path: "/tui/confirm", body: { question: "proceed?" } })
    await client.tui.control.response({ body: "ignored: answers the clear-prompt request" })
    await client.tui.control.response({ body: { yes: true } })
    expect(await answer).toEqual({ yes: true })
  })
})
