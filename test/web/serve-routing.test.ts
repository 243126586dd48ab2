// Which requests get the web app and which keep their JSON answers, from a server running from
// source (the app is bundled from web/ on the first page request).
import { test, expect, beforeAll, afterAll, describe } from "bun:test"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { createApp } from "../../src/server/app"

const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s.stop())

const nav = (p: string, init: RequestInit = {}) => s.fetch(p, { redirect: "manual", ...init, headers: { accept: HTML, ...init.headers } })

async function expectJson404(r: Response) {
  expect(r.status).toBe(404)
  expect(r.headers.get("content-type")).toContain("application/json")
  expect((await r.json()).name).toBe("NotFoundError")
}

describe("page navigations", () => {
  test("/ answers the app, whose assets are referenced relatively", async () => {
    const r = await nav("/")
    expect(r.status).toBe(200)
    expect(r.headers.get("content-type")).toStartWith("text/html")
    const html = await r.text()
    expect(html).toMatch(/<script[^>]+src="\.\/assets\/[^"]+\.js"/)
    expect(html).toMatch(/<link[^>]+href="\.\/assets\/[^"]+\.css"/)
    // No root-relative or absolute URL: the page must also work under a proxy's sub-path.
    expect(html).not.toMatch(/(src|href)="\//)
  })

  test("any top-level path outside the API answers the app too", async () => {
    for (const p of ["/index.html", "/settings", "/opencode.local"]) {
      const r = await nav(p)
      expect({ p, status: r.status }).toEqual({ p, status: 200 })
      expect(await r.text()).toContain("./assets/")
    }
  })

  test("a deeper path is sent to the app root relatively, so relative URLs resolve", async () => {
    for (const [p, location] of [["/a/b", "../"], ["/a/b/c", "../../"], ["/a/", "../"]]) {
      const r = await nav(p)
      expect({ p, status: r.status, location: r.headers.get("location") }).toEqual({ p, status: 302, location })
      expect(new URL(location, s.base + p).pathname).toBe("/")
    }
    // Followed, a browser lands on the app.
    const followed = await s.fetch("/deep/link/here", { headers: { accept: HTML } })
    expect(followed.status).toBe(200)
    expect(followed.url).toBe(s.base + "/")
  })

  test("API routes keep their JSON answers for a browser", async () => {
    const health = await nav("/global/health")
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ healthy: true })
    const sessions = await nav("/session")
    expect(sessions.headers.get("content-type")).toContain("application/json")
    expect(Array.isArray(await sessions.json())).toBe(true)
  })

  test("unknown paths under an API prefix, /api and /doc keep their JSON 404", async () => {
    for (const p of ["/session/nope/x", "/global/nope", "/api", "/api/nope", "/doc/nope", "/file/x/y", "/assets"]) await expectJson404(await nav(p))
  })

  test("a request that does not ask for HTML, or is not a GET, keeps its JSON 404", async () => {
    await expectJson404(await s.fetch("/"))
    await expectJson404(await s.fetch("/", { headers: { accept: "application/json" } }))
    await expectJson404(await s.fetch("/settings", { headers: { accept: "*/*" } }))
    await expectJson404(await nav("/", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }))
    await expectJson404(await nav("/settings", { method: "DELETE" }))
  })

  test("the app is not part of the API description", async () => {
    const doc = await (await s.fetch("/doc", { headers: { accept: "application/json" } })).json()
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/assets") || p === "/")).toEqual([])
  })
})

describe("the page's security headers", () => {
  test("a strict content-security-policy: own origin only, WebSocket to its own host", async () => {
    const r = await nav("/")
    const csp = r.headers.get("content-security-policy")!
    const directives = new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]))
    expect(directives.get("default-src")).toEqual(["'none'"])
    expect(directives.get("script-src")).toEqual(["'self'"])
    expect(directives.get("style-src")).toEqual(["'self'"])
    const host = new URL(s.base).host
    expect(directives.get("connect-src")).toEqual(["'self'", `ws://${host}`, `wss://${host}`])
    expect(directives.get("frame-ancestors")).toEqual(["'none'"])
    // Nothing outside this server is allowed anywhere.
    expect(csp).not.toMatch(/https?:|\*/)
    expect(r.headers.get("x-content-type-options")).toBe("nosniff")
    expect(r.headers.get("referrer-policy")).toBe("no-referrer")
    expect(r.headers.get("cross-origin-opener-policy")).toBe("same-origin")
    expect(r.headers.get("cross-origin-resource-policy")).toBe("same-origin")
  })

  test("a Host that is not a plain host:port never reaches the policy", async () => {
    const app = createApp({ auth: { username: "opencode", password: "pw" }, directory: s.directory })
    const auth = "Basic " + Buffer.from("opencode:pw").toString("base64")
    const page = (host: string) => app.handle(new Request("http://x/", { headers: { accept: HTML, host, authorization: auth } }))
    const good = await page("phone.lan:4096")
    expect(good.headers.get("content-security-policy")).toContain("connect-src 'self' ws://phone.lan:4096 wss://phone.lan:4096;")
    const bad = await page("evil.test; script-src *")
    expect(bad.status).toBe(200)
    expect(bad.headers.get("content-security-policy")).toContain("connect-src 'self';")
  })
})

test("nothing of the web path is loaded until the first page request", async () => {
  const script = path.join(import.meta.dir, "fixtures/startup-imports.ts")
  const p = Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "pipe", env: process.env })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  expect({ code, err }).toEqual({ code: 0, err: "" })
  const { beforePage, afterPage } = JSON.parse(out)
  expect(beforePage).toEqual([])
  expect(afterPage).toContain("src/web/serve.ts")
}, 30_000)

describe("with a password", () => {
  let p: TestServer
  beforeAll(async () => {
    p = await startTestServer({ auth: { username: "opencode", password: "pw" } })
  })
  afterAll(() => p.stop())
  const auth = { authorization: "Basic " + Buffer.from("opencode:pw").toString("base64") }

  test("the page and its assets need the password like every route; the challenge brings up the browser's prompt", async () => {
    const denied = await p.fetch("/", { headers: { accept: HTML } })
    expect(denied.status).toBe(401)
    expect(denied.headers.get("www-authenticate")).toStartWith("Basic ")
    // Dismissing the prompt shows a sentence, not JSON; API clients keep the JSON error.
    expect(denied.headers.get("content-type")).toStartWith("text/html")
    expect(await denied.text()).toContain("needs its password")
    const api = await p.fetch("/session")
    expect(api.status).toBe(401)
    expect((await api.json()).name).toBe("UnauthorizedError")
    const page = await p.fetch("/", { headers: { accept: HTML, ...auth } })
    expect(page.status).toBe(200)
    const asset = (await page.text()).match(/\.\/(assets\/[^"]+\.js)/)![1]
    expect((await p.fetch("/" + asset)).status).toBe(401)
    expect((await p.fetch("/" + asset, { headers: auth })).status).toBe(200)
    expect((await p.fetch("/deep/link", { headers: { accept: HTML }, redirect: "manual" })).status).toBe(401)
  })
})
