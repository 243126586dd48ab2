import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import { startTestServer, type TestServer } from "../helpers/server"
import { allowedOrigin } from "../../src/server/cors"

let s: TestServer
beforeAll(async () => {
  s = await startTestServer({ cors: ["https://app.example.com", "http://10.0.0.5:8080"] })
})
afterAll(() => s.stop())

const LOCAL = ["http://localhost:3000", "http://localhost", "https://localhost:8443", "http://127.0.0.1:5173", "http://127.0.0.1", "http://[::1]:3000"]
const CONFIGURED = ["https://app.example.com", "http://10.0.0.5:8080"]
const FOREIGN = [
  "https://evil.example.com",
  "http://localhost.evil.com",
  "http://127.0.0.1.evil.com",
  "http://localhost:3000.evil.com",
  "http://127.0.0.2:3000",
  "http://app.example.com",
  "https://app.example.com:444",
  "http://10.0.0.5:8081",
  "null",
  "file://",
]

const get = (origin: string) => s.fetch("/global/health", { headers: { origin } })
const preflight = (origin: string) =>
  s.fetch("/session", {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, x-opencode-directory" },
  })

describe("CORS", () => {
  test("localhost and 127.0.0.1 on any port are allowed, with credentials", async () => {
    for (const origin of LOCAL) {
      const r = await get(origin)
      expect({ origin, allow: r.headers.get("access-control-allow-origin") }).toEqual({ origin, allow: origin })
      expect(r.headers.get("access-control-allow-credentials")).toBe("true")
      expect(r.headers.get("vary")).toContain("Origin")
    }
  })

  test("each --cors origin is allowed, on requests and preflights", async () => {
    for (const origin of CONFIGURED) {
      expect((await get(origin)).headers.get("access-control-allow-origin")).toBe(origin)
      const p = await preflight(origin)
      expect(p.status).toBe(204)
      expect(p.headers.get("access-control-allow-origin")).toBe(origin)
      expect(p.headers.get("access-control-allow-methods")).toContain("POST")
      expect(p.headers.get("access-control-allow-headers")).toContain("x-opencode-directory")
    }
  })

  test("any other origin gets no allow-origin header, on requests and preflights", async () => {
    for (const origin of FOREIGN) {
      const r = await get(origin)
      expect(r.status).toBe(200)
      expect({ origin, allow: r.headers.get("access-control-allow-origin") }).toEqual({ origin, allow: null })
      expect({ origin, allow: (await preflight(origin)).headers.get("access-control-allow-origin") }).toEqual({ origin, allow: null })
    }
  })

  test("errors carry the header too, so a page can read them", async () => {
    const r = await s.fetch("/no/such/route", { headers: { origin: "http://localhost:3000" } })
    expect(r.status).toBe(404)
    expect(r.headers.get("access-control-allow-origin")).toBe("http://localhost:3000")
  })

  test("event streams and the spec carry it too (EventSource, fetch from a page)", async () => {
    for (const p of ["/event", "/global/event", "/doc/json"]) {
      const r = await s.fetch(p, { headers: { origin: "http://localhost:3000" } })
      expect({ p, allow: r.headers.get("access-control-allow-origin") }).toEqual({ p, allow: "http://localhost:3000" })
      await r.body?.cancel()
    }
  })

  test("a request without Origin gets no allow-origin header", async () => {
    const r = await s.fetch("/global/health")
    expect(r.headers.get("access-control-allow-origin")).toBeNull()
  })

  test("allowedOrigin ignores a trailing slash in configured origins", () => {
    expect(allowedOrigin("https://a.example", ["https://a.example/"])).toBe(true)
    expect(allowedOrigin(null, ["https://a.example"])).toBe(false)
  })
})
