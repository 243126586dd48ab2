// The app in a real Chromium, served by the COMPILED executable: it loads under its CSP with
// nothing failing, and with OPENCODE_SERVER_PASSWORD set one login (the browser's basic-auth
// prompt) is enough for fetches, the event stream and a terminal WebSocket, while a page on
// another origin still cannot drive the server through the logged-in browser.
import { test, expect, beforeAll, afterAll, describe } from "bun:test"
import type { Page } from "puppeteer-core"
import { noBrowser, startWebFixture, waitReady, consoleErrors, shot, type WebFixture } from "../helpers/browser"

const skip = noBrowser("web app browser tests")

describe.skipIf(skip)("the compiled executable in Chromium", () => {
  let f: WebFixture
  beforeAll(async () => {
    f = await startWebFixture()
  }, 120_000)
  afterAll(() => f?.stop())

  test("opens / offline-clean: ready, no console error, no CSP violation, every request to this server", async () => {
    const page = await f.page()
    const errors = consoleErrors(page)
    const requested: string[] = []
    page.on("request", (r) => requested.push(r.url()))
    const r = await page.goto(f.base + "/")
    expect(r!.status()).toBe(200)
    expect(r!.headers()["content-security-policy"]).toContain("default-src 'none'")
    await waitReady(page)
    expect(errors).toEqual([])
    expect(requested.filter((u) => !u.startsWith(f.base + "/") && !u.startsWith("data:"))).toEqual([])
    // It came compressed.
    const js = requested.find((u) => /\/assets\/.+\.js$/.test(u))!
    const entries = await page.evaluate((u) => performance.getEntriesByName(u).map((e) => (e as PerformanceResourceTiming).encodedBodySize < (e as PerformanceResourceTiming).decodedBodySize), js)
    expect(entries).toEqual([true])
    await shot(page, "serve-compiled-desktop")
  }, 60_000)

  test("a deep link lands on the app and a reload is answered from cache or with 304", async () => {
    const page = await f.page({ width: 390, height: 844 })
    await page.goto(f.base + "/some/deep/link")
    await waitReady(page)
    expect(page.url()).toBe(f.base + "/")
    const statuses: number[] = []
    page.on("response", (r) => {
      if (r.url().includes("/assets/")) statuses.push(r.fromCache() ? 0 : r.status())
    })
    await page.reload()
    await waitReady(page)
    // Immutable assets are not even revalidated (0 = memory/disk cache).
    expect(statuses.length).toBeGreaterThan(0)
    expect(statuses.every((s) => s === 0 || s === 304)).toBe(true)
    await shot(page, "serve-compiled-phone")
  }, 60_000)
})

describe.skipIf(skip)("with OPENCODE_SERVER_PASSWORD, in Chromium", () => {
  let f: WebFixture
  let evil: ReturnType<typeof Bun.serve> | undefined
  beforeAll(async () => {
    // evil.test resolves to this machine, as a rebinding or LAN attacker's page would.
    f = await startWebFixture({ password: "s3cret-pass", browserArgs: ["--host-resolver-rules=MAP evil.test 127.0.0.1"] })
    evil = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("<!doctype html><title>elsewhere</title>", { headers: { "content-type": "text/html" } }) })
  }, 120_000)
  afterAll(async () => {
    evil?.stop(true)
    await f?.stop()
  })

  test("without credentials the page gets the basic-auth challenge", async () => {
    const r = await fetch(f.base + "/", { headers: { accept: "text/html" } })
    expect(r.status).toBe(401)
    expect(r.headers.get("www-authenticate")).toBe('Basic realm="opencode", charset="UTF-8"')
    // Headless Chromium has nobody to type into the prompt, so it gives up on the page.
    const page = await f.page({ login: false })
    await expect(page.goto(f.base + "/")).rejects.toThrow("ERR_INVALID_AUTH_CREDENTIALS")
    await page.close()
  }, 30_000)

  let page: Page
  test("after one login, fetches, the event stream and a PTY WebSocket work without asking again", async () => {
    page = await f.page()
    await page.goto(f.base + "/")
    await waitReady(page)
    // The login was answered once; from here on nothing answers a challenge, so any request the
    // browser did not authenticate by itself would fail.
    await page.authenticate(null)
    const challenged: string[] = []
    page.on("response", (r) => {
      if (r.status() === 401) challenged.push(r.url())
    })

    const result = await page.evaluate(async () => {
      const api = (p: string) => new URL(p, document.baseURI).toString()
      const session = await (await fetch(api("session"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "from the browser" }) })).json()
      const list = await (await fetch(api("session"))).json()

      const firstEvent = await new Promise<string>((resolve, reject) => {
        const es = new EventSource(api("event"))
        es.onmessage = (e) => {
          es.close()
          resolve(JSON.parse(e.data).type)
        }
        es.onerror = () => {
          es.close()
          reject(new Error("event stream failed"))
        }
      })

      const pty = await (await fetch(api("pty"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ command: "/bin/sh" }) })).json()
      const token = await (await fetch(api(`pty/${pty.id}/connect-token`), { method: "POST", headers: { "x-opencode-ticket": "1" } })).json()
      const wsUrl = new URL(api(`pty/${pty.id}/connect?ticket=${encodeURIComponent(token.ticket)}`))
      wsUrl.protocol = wsUrl.protocol.replace("http", "ws")
      const echoed = await new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(wsUrl)
        let out = ""
        ws.onopen = () => ws.send("echo browser-$((40+2))\n")
        ws.onmessage = (e) => {
          if (typeof e.data !== "string") return
          out += e.data
          if (out.includes("browser-42")) {
            ws.close()
            resolve("browser-42")
          }
        }
        ws.onerror = () => reject(new Error("websocket failed"))
        setTimeout(() => reject(new Error(`no echo; got ${JSON.stringify(out)}`)), 10_000)
      })
      await fetch(api(`pty/${pty.id}`), { method: "DELETE" })
      return { title: session.title, listed: list.some((s: { id: string }) => s.id === session.id), firstEvent, echoed }
    })
    expect(result).toEqual({ title: "from the browser", listed: true, firstEvent: "server.connected", echoed: "browser-42" })
    expect(challenged).toEqual([])
    await shot(page, "serve-logged-in")
  }, 60_000)

  test("a page on another origin cannot drive the server through the logged-in browser", async () => {
    const before = (await f.client.session.list()).data!.length
    const other = await f.browser.newPage()
    const statuses: Record<string, number> = {}
    other.on("response", (r) => {
      if (r.url().startsWith(f.base)) statuses[`${r.request().method()} ${new URL(r.url()).pathname}`] = r.status()
    })
    await other.goto(`http://evil.test:${evil!.port}/`)
    const outcome = await other.evaluate(async (base) => {
      const tried: Record<string, string> = {}
      // A "simple" cross-site POST: no preflight, the browser's credentials attached.
      await fetch(`${base}/session`, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: JSON.stringify({ title: "evil" }) })
        .then(() => (tried.post = "sent"))
        .catch(() => (tried.post = "failed"))
      // Reading needs CORS, which this origin is not granted.
      await fetch(`${base}/session`, { credentials: "include" })
        .then(() => (tried.read = "read"))
        .catch(() => (tried.read = "blocked"))
      tried.socket = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${base.replace("http", "ws")}/pty/ptyNope/connect`)
        ws.onopen = () => resolve("open")
        ws.onerror = () => resolve("refused")
      })
      return tried
    }, f.base)
    expect(outcome).toEqual({ post: "sent", read: "blocked", socket: "refused" })
    // The server itself refused the write: the session count is unchanged.
    expect(statuses["POST /session"]).toBe(403)
    expect((await f.client.session.list()).data!.length).toBe(before)
    await other.close()
  }, 60_000)
})
