import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { authFromEnv } from "../../src/server/auth"

const basic = (user: string, pass: string) => "Basic " + Buffer.from(`${user}:${pass}`, "utf8").toString("base64")

// Each guarded request: the SSE streams, the spec and explorer, a POST and an unknown path.
const ROUTES: Array<{ path: string; method?: string; body?: string; ok: number }> = [
  { path: "/global/health", ok: 200 },
  { path: "/project/current", ok: 200 },
  { path: "/event", ok: 200 },
  { path: "/global/event", ok: 200 },
  { path: "/doc", ok: 200 },
  { path: "/doc/json", ok: 200 },
  { path: "/doc/scalar.js", ok: 200 },
  { path: "/log", method: "POST", body: JSON.stringify({ service: "t", level: "info", message: "m" }), ok: 200 },
  { path: "/no/such/route", ok: 404 },
]

async function call(s: TestServer, r: (typeof ROUTES)[number], authorization?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (authorization) headers.authorization = authorization
  const res = await s.fetch(r.path, { method: r.method ?? "GET", body: r.body, headers })
  // Streams stay open: read no further than the status.
  await res.body?.cancel().catch(() => {})
  return res
}

describe("basic auth with the default user", () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer({ auth: { username: "opencode", password: "s3cret:with colon ü" } })
  })
  afterAll(() => s.stop())

  const wrong = {
    "no credentials": undefined,
    "a wrong password": basic("opencode", "nope"),
    "a wrong user": basic("admin", "s3cret:with colon ü"),
    "a password prefix": basic("opencode", "s3cret"),
    "garbage": "Basic !!!not-base64",
    "another scheme": "Bearer s3cret:with colon ü",
  }
  for (const [label, header] of Object.entries(wrong)) {
    test(`${label}: 401 with WWW-Authenticate on every route`, async () => {
      for (const r of ROUTES) {
        const res = await call(s, r, header)
        expect({ path: r.path, status: res.status }).toEqual({ path: r.path, status: 401 })
        expect(res.headers.get("www-authenticate")).toStartWith("Basic realm=")
      }
    })
  }

  test("the right credentials reach every route", async () => {
    for (const r of ROUTES) {
      const res = await call(s, r, basic("opencode", "s3cret:with colon ü"))
      expect({ path: r.path, status: res.status }).toEqual({ path: r.path, status: r.ok })
    }
  })

  test("the 401 body is a JSON error and leaks nothing", async () => {
    const res = await s.fetch("/project/current")
    expect(await res.json()).toEqual({ name: "UnauthorizedError", data: { message: "Authentication required" }, requestID: res.headers.get("x-request-id")! })
  })

  test("an authenticated SSE stream delivers events", async () => {
    const res = await s.fetch("/event", { headers: { authorization: basic("opencode", "s3cret:with colon ü") } })
    const sse = sseReader(res)
    expect((await sse.next(() => true)).data.type).toBe("server.connected")
    sse.cancel()
  })

  test("EventSource-style auth_token query works for the stream", async () => {
    const token = Buffer.from("opencode:s3cret:with colon ü").toString("base64")
    const ok = await s.fetch("/event?auth_token=" + encodeURIComponent(token))
    expect(ok.status).toBe(200)
    await ok.body?.cancel()
    const bad = await s.fetch("/event?auth_token=" + encodeURIComponent(btoa("opencode:nope")))
    expect(bad.status).toBe(401)
  })

  test("the official SDK client works with an Authorization header, and fails without", async () => {
    const authed = createOpencodeClient({ baseUrl: s.base, directory: s.directory, headers: { Authorization: basic("opencode", "s3cret:with colon ü") } })
    const { data, error } = await authed.project.current()
    expect(error).toBeUndefined()
    expect(data!.id).toBe("global")
    const { data: logged } = await authed.app.log({ body: { service: "t", level: "info", message: "hi" } })
    expect(logged).toBe(true)
    const anon = await s.client.project.current()
    expect(anon.response.status).toBe(401)
    expect(anon.data).toBeUndefined()
  })

  test("the spec declares basic auth", async () => {
    const doc = await (await s.fetch("/doc/json", { headers: { authorization: basic("opencode", "s3cret:with colon ü") } })).json()
    expect(doc.components.securitySchemes.basicAuth).toEqual({ type: "http", scheme: "basic" })
    expect(doc.security).toEqual([{ basicAuth: [] }])
  })

  test("a CORS preflight is not blocked, and a browser can read the 401", async () => {
    const pre = await s.fetch("/session", {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get("access-control-allow-origin")).toBe("http://localhost:5173")
    expect(pre.headers.get("access-control-allow-headers")).toContain("authorization")
    const denied = await s.fetch("/project/current", { headers: { origin: "http://localhost:5173" } })
    expect(denied.status).toBe(401)
    expect(denied.headers.get("access-control-allow-origin")).toBe("http://localhost:5173")
  })
})

describe("basic auth with OPENCODE_SERVER_USERNAME", () => {
  let s: TestServer
  beforeAll(async () => {
    const auth = authFromEnv({ OPENCODE_SERVER_PASSWORD: "pw", OPENCODE_SERVER_USERNAME: "alice" })
    s = await startTestServer({ auth })
  })
  afterAll(() => s.stop())

  test("the custom user gets in, the default one does not", async () => {
    expect((await s.fetch("/global/health", { headers: { authorization: basic("alice", "pw") } })).status).toBe(200)
    expect((await s.fetch("/global/health", { headers: { authorization: basic("opencode", "pw") } })).status).toBe(401)
  })
})

describe("authFromEnv", () => {
  test("no password, no auth; user defaults to opencode", () => {
    expect(authFromEnv({})).toBeUndefined()
    expect(authFromEnv({ OPENCODE_SERVER_PASSWORD: "" })).toBeUndefined()
    expect(authFromEnv({ OPENCODE_SERVER_PASSWORD: "x" })).toEqual({ username: "opencode", password: "x" })
  })
})

describe("without a password", () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer()
  })
  afterAll(() => s.stop())

  test("every route answers without credentials", async () => {
    for (const r of ROUTES) expect((await call(s, r)).status).toBe(r.ok)
  })
})
