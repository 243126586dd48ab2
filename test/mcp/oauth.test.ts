import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { Paths } from "../../src/global/paths"
import { disposeInstance, getInstance } from "../../src/project/instance"
import * as Mcp from "../../src/mcp"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { tmpTree } from "../helpers/tmp"
import { startOAuthMcp } from "./fixtures/oauth-server"
import { noSubagents } from "../tool/harness"

let s: TestServer
let idp: ReturnType<typeof startOAuthMcp>
beforeAll(async () => {
  s = await startTestServer()
  idp = startOAuthMcp()
})
afterAll(async () => {
  idp.stop()
  await s.stop()
})

function freePort() {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  return port
}

const project = (port: number) => tmpTree({ "opencode.json": JSON.stringify({ mcp: { secure: { type: "remote", url: idp.url, oauth: { callbackPort: port } } } }) }, "mcp-oauth-")
const authFile = () => path.join(Paths.data, "mcp-credentials.json")

describe("MCP OAuth", () => {
  test("dynamic registration, PKCE code exchange, tokens stored 0600, then the server connects; a 401 later refreshes", async () => {
    const port = freePort()
    const dir = project(port)
    const c = s.sdk(dir)
    expect((await c.mcp.status()).data!.secure).toEqual({ status: "needs_auth" })
    expect(idp.log.registrations).toBeGreaterThanOrEqual(1)

    const start = await c.mcp.auth.start({ path: { name: "secure" } })
    const url = new URL(start.data!.authorizationUrl)
    expect(url.pathname).toBe("/authorize")
    expect(url.searchParams.get("code_challenge_method")).toBe("S256")
    expect(url.searchParams.get("redirect_uri")).toBe(`http://127.0.0.1:${port}/mcp/oauth/callback`)
    expect(url.searchParams.get("state")).toBe((start.data as unknown as { oauthState: string }).oauthState)

    // The person signs in; the browser would now go to the redirect with the code.
    const back = new URL((await fetch(url, { redirect: "manual" })).headers.get("location")!)
    const wrong = await c.mcp.auth.callback({ path: { name: "secure" }, body: { code: "not-the-code" } })
    expect(wrong.response.status).toBe(400)
    expect((wrong.error as any).data.message).toContain("invalid_grant")
    const done = await c.mcp.auth.callback({ path: { name: "secure" }, body: { code: back.searchParams.get("code")! } })
    expect(done.data).toEqual({ status: "connected" })
    expect(fs.statSync(authFile()).mode & 0o777).toBe(0o600)
    const stored = JSON.parse(fs.readFileSync(authFile(), "utf8")).secure
    expect(stored.tokens.access_token).toMatch(/^access-/)
    expect(await (await s.fetch(`/config?directory=${encodeURIComponent(dir)}`)).text()).not.toContain(stored.tokens.access_token)

    const tools = await Mcp.mcpTools(await getInstance(dir))
    const echo = tools.find((t) => t.id === "secure_echo")!
    const ctx = { instance: undefined as any, sessionID: "s", messageID: "m", callID: "c", agent: "build", abort: new AbortController().signal, subagent: noSubagents, metadata() {}, async ask() {} }
    expect((await echo.execute({ text: "signed in" }, ctx)).output).toBe("echo: signed in")

    idp.revokeAccess()
    const before = idp.log.tokenRequests.filter((r) => r.grant_type === "refresh_token").length
    expect((await echo.execute({ text: "after refresh" }, ctx)).output).toBe("echo: after refresh")
    expect(idp.log.tokenRequests.filter((r) => r.grant_type === "refresh_token").length).toBe(before + 1)

    expect((await c.mcp.auth.remove({ path: { name: "secure" } })).data).toEqual({ success: true })
    expect(JSON.parse(fs.readFileSync(authFile(), "utf8")).secure).toBeUndefined()
    await disposeInstance(dir)
  })

  test("authenticate waits for the browser to come back to the loopback callback; the URL goes out as an event", async () => {
    const port = freePort()
    const dir = project(port)
    const c = s.sdk(dir)
    await c.mcp.status()
    const sse = sseReader(await s.fetch(`/event?directory=${encodeURIComponent(dir)}`))
    const waiting = c.mcp.auth.authenticate({ path: { name: "secure" } })
    const event = await sse.next((e) => e.data.type === "mcp.browser.open.failed", 10_000)
    expect(event.data.properties.mcpName).toBe("secure")
    // The browser: sign in, then follow the redirect to the server's loopback listener.
    const back = (await fetch(event.data.properties.url, { redirect: "manual" })).headers.get("location")!
    expect(back.startsWith(`http://127.0.0.1:${port}/mcp/oauth/callback?`)).toBe(true)
    expect((await fetch(back)).status).toBe(200)
    expect((await waiting).data).toEqual({ status: "connected" })
    await disposeInstance(dir)
  })
})
