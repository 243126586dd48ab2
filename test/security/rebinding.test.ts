import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import { startTestServer, type TestServer } from "../helpers/server"

// A page on evil.com whose name is re-pointed at 127.0.0.1 (DNS rebinding) talks to the
// loopback server as "same origin"; a page on any site can also send simple cross-site POSTs
// and open WebSockets, none of which CORS stops. These tests are that attacker.

const raw = async (s: TestServer, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
  // fetch() rewrites Host; node:http lets the test send the exact header a browser would.
  const http = await import("node:http")
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: s.port, path, method: init.method ?? "GET", headers: init.headers }, (res) => {
      let body = ""
      res.on("data", (d) => (body += d))
      res.on("end", () => resolve({ status: res.statusCode!, body }))
    })
    req.on("error", reject)
    req.end(init.body)
  })
}

const sessionCount = async (s: TestServer) => (await s.client.session.list()).data!.length

describe("without a password", () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer({ cors: ["https://app.example.com"] })
  })
  afterAll(() => s.stop())

  test("a request whose Host is a foreign name is refused before it does anything", async () => {
    const before = await sessionCount(s)
    for (const host of ["evil.com", `evil.com:${s.port}`, "localhost.evil.com", "127.0.0.1.evil.com", "attacker.example:80"]) {
      const r = await raw(s, "/session", { method: "POST", headers: { host, "content-type": "application/json", "x-opencode-directory": s.directory }, body: "{}" })
      expect({ host, status: r.status }).toEqual({ host, status: 403 })
      expect(JSON.parse(r.body).name).toBe("ForbiddenError")
      expect(JSON.parse(r.body).data.message).toContain("Host")
      const g = await raw(s, "/global/health", { headers: { host } })
      expect({ host, status: g.status }).toEqual({ host, status: 403 })
    }
    expect(await sessionCount(s)).toBe(before)
  })

  test("loopback names, IP literals and names the user allowed still work", async () => {
    const hosts = [`127.0.0.1:${s.port}`, `localhost:${s.port}`, "localhost", `[::1]:${s.port}`, "127.0.0.1", `192.168.1.20:${s.port}`, `app.example.com`, "opencode.localhost", "LOCALHOST"]
    for (const host of hosts) {
      const r = await raw(s, "/global/health", { headers: { host } })
      expect({ host, status: r.status }).toEqual({ host, status: 200 })
    }
  })

  test("a cross-site POST (a form or fetch from another site) is refused with 403 and has no effect", async () => {
    const before = await sessionCount(s)
    for (const origin of ["https://evil.com", "null", "http://127.0.0.2:3000", "http://localhost.evil.com"]) {
      const r = await s.fetch("/session", { method: "POST", headers: { origin, "content-type": "text/plain", "x-opencode-directory": s.directory }, body: "{}" })
      expect({ origin, status: r.status }).toEqual({ origin, status: 403 })
      expect((await r.json()).data.message).toContain("Origin")
    }
    for (const method of ["PATCH", "PUT", "DELETE"]) {
      const r = await s.fetch("/config", { method, headers: { origin: "https://evil.com", "content-type": "application/json" }, body: "{}" })
      expect({ method, status: r.status }).toEqual({ method, status: 403 })
    }
    expect(await sessionCount(s)).toBe(before)
  })

  test("a cross-site WebSocket handshake is refused (WebSockets are not covered by CORS)", async () => {
    const r = await raw(s, "/pty/any/connect", {
      headers: { host: `127.0.0.1:${s.port}`, origin: "https://evil.com", upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" },
    })
    expect(r.status).toBe(403)
  })

  test("allowed origins and same-origin pages may still POST; GETs from elsewhere are left to CORS", async () => {
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:3000", "https://app.example.com", s.base]) {
      const r = await s.fetch("/log", { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify({ service: "t", level: "debug", message: "m" }) })
      expect({ origin, status: r.status }).toEqual({ origin, status: 200 })
    }
    const g = await s.fetch("/global/health", { headers: { origin: "https://evil.com" } })
    expect(g.status).toBe(200)
    expect(g.headers.get("access-control-allow-origin")).toBeNull()
  })

  test("the official SDK (no Origin, Host 127.0.0.1:port) is unaffected", async () => {
    const { data, error } = await s.client.session.create({ body: { title: "sdk" } })
    expect(error).toBeUndefined()
    expect(data!.title).toBe("sdk")
  })
})

describe("names the server was started with", () => {
  test("the --hostname and the mDNS domain are accepted Hosts", async () => {
    // The app, configured as `serve --hostname 0.0.0.0 --mdns --mdns-domain box.local` would.
    const { createApp } = await import("../../src/server/app")
    const app = createApp({ hostname: "my-box.lan", mdns: { domain: "box.local" } })
    for (const host of ["my-box.lan:4096", "box.local:4096", "box.local."]) {
      const r = await app.handle(new Request("http://x/global/health", { headers: { host } }))
      expect({ host, status: r.status }).toEqual({ host, status: 200 })
    }
    const bad = await app.handle(new Request("http://x/global/health", { headers: { host: "other.local" } }))
    expect(bad.status).toBe(403)
  })
})

describe("with a password", () => {
  let s: TestServer
  const authorization = "Basic " + btoa("opencode:pw")
  beforeAll(async () => {
    s = await startTestServer({ auth: { username: "opencode", password: "pw" } })
  })
  afterAll(() => s.stop())

  test("any Host may reach the password check (reverse proxies keep their names)", async () => {
    expect((await raw(s, "/global/health", { headers: { host: "opencode.example.com", authorization } })).status).toBe(200)
    expect((await raw(s, "/global/health", { headers: { host: "opencode.example.com" } })).status).toBe(401)
  })

  test("a browser's cached credentials do not make a cross-site POST work", async () => {
    const r = await s.fetch("/session", { method: "POST", headers: { origin: "https://evil.com", authorization, "content-type": "application/json" }, body: "{}" })
    expect(r.status).toBe(403)
  })
})
