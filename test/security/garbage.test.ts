import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { rawRequest } from "./raw-http"

// Bad input gets a clear 4xx, never a 500, a hang or a dead server.

const NESTED = "[".repeat(100_000) + "]".repeat(100_000)
const BODIES: Record<string, string> = {
  malformed: "{not json",
  array: "[1,2]",
  null: "null",
  string: '"x"',
  number: "42",
  empty: "",
  "wrong types": JSON.stringify({ parts: 5, command: 7, path: [], title: {}, messageID: 1, providerID: null, modelID: true, text: [], name: {}, config: 3, response: 9, agent: [] }),
  nested: NESTED,
  "nested in a field": `{"parts":${NESTED}}`,
  "huge string": JSON.stringify({ title: "x".repeat(2_000_000), command: "y".repeat(100_000), parts: [{ type: "text", text: "z".repeat(100_000) }] }),
}

let s: TestServer
let spec: any
beforeAll(async () => {
  s = await startTestServer()
  spec = await (await s.fetch("/doc/json")).json()
})
afterAll(() => s.stop())

const json = () => ({ "content-type": "application/json", "x-opencode-directory": s.directory })
const STREAMS = new Set(["/event", "/global/event", "/tui/control/next"])

describe("every route", () => {
  test("answers garbage bodies and garbage queries with a status below 500 and stays up", async () => {
    const failures: string[] = []
    let tried = 0
    for (const [route, ops] of Object.entries<Record<string, unknown>>(spec.paths)) {
      if (STREAMS.has(route) || route.startsWith("/pty")) continue
      const url = route.replace(/\{[^}]+\}/g, "ses_nonexistent0000000000000")
      for (const method of Object.keys(ops)) {
        const cases = method === "get" ? { query: "" } : BODIES
        for (const [label, body] of Object.entries(cases)) {
          const query = method === "get" ? "?limit=99999999999999999999&path=%00&pattern=((a%2B)%2B)%2B&query=" + "q".repeat(5000) + "&start=1e400&context=-1" : ""
          const r = await s.fetch(url + query, { method: method.toUpperCase(), headers: json(), body: method === "get" ? undefined : body })
          tried++
          const text = await r.text()
          if (r.status >= 500) failures.push(`${method.toUpperCase()} ${route} [${label}] -> ${r.status} ${text.slice(0, 120)}`)
          else if (r.status >= 400 && r.headers.get("content-type")?.includes("json")) {
            // v1 routes answer { name, data: { message } }; the v2 /api routes the spec's { _tag, message }.
            const err = JSON.parse(text)
            const message = route.startsWith("/api/") ? (err.message ?? err.data?.message) : err.data?.message
            if (typeof message !== "string") failures.push(`${method.toUpperCase()} ${route} [${label}] -> ${r.status} without a message: ${text.slice(0, 160)}`)
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(300)
    expect(failures).toEqual([])
    expect((await s.fetch("/global/health")).status).toBe(200)
  }, 60_000)

  test("deeply nested JSON is a 400 that says so", async () => {
    for (const route of ["/session", "/config", "/log"]) {
      const r = await s.fetch(route, { method: route === "/config" ? "PATCH" : "POST", headers: { "content-type": "application/json" }, body: `{"title":${NESTED}}` })
      expect({ route, status: r.status }).toEqual({ route, status: 400 })
      expect((await r.json()).data.message).toContain("nested")
    }
  })

  test("a huge limit is answered, not a database error", async () => {
    const session = (await s.client.session.create({ body: {} })).data!
    expect((await s.fetch("/session?limit=99999999999999999999")).status).toBe(200)
    expect((await s.fetch(`/session/${session.id}/message?limit=99999999999999999999`)).status).toBe(200)
  })
})

describe("PATCH /config", () => {
  test("a body that is not a JSON object is a 400 and writes nothing", async () => {
    const file = path.join(s.directory, "opencode.json")
    fs.writeFileSync(file, '{ "username": "bob" }\n')
    for (const body of ["[1,2]", '"x"', "42", "true", '[{"username":"eve"}]']) {
      const r = await s.fetch("/config", { method: "PATCH", headers: json(), body })
      expect({ body, status: r.status }).toEqual({ body, status: 400 })
      expect((await r.json()).data.message).toContain("JSON object")
    }
    // No body at all changes nothing.
    for (const body of ["null", ""]) expect((await s.fetch("/config", { method: "PATCH", headers: json(), body })).status).toBeLessThan(500)
    expect(fs.readFileSync(file, "utf8")).toBe('{ "username": "bob" }\n')
  })

  test("the one route that takes any JSON still does", async () => {
    const r = await s.fetch("/tui/control/response", { method: "POST", headers: { "content-type": "application/json" }, body: "true" })
    // Nothing is waiting for an answer: the route's own 400, not the object-body rule.
    expect(r.status).toBe(400)
    expect((await r.json()).data.message).toContain("No TUI control request")
  })
})

describe("request size", () => {
  test("a body larger than the limit is refused before it is read, and the server stays up", async () => {
    const r = await rawRequest(s.port, { method: "POST", target: "/session", headers: { "content-type": "application/json", "content-length": String(1024 * 1024 * 1024) } }, "{}", 2000)
    expect(r.status).toBe(413)
    expect((await s.fetch("/global/health")).status).toBe(200)
  })
})

describe("POST /log", () => {
  test("a client cannot forge log lines", async () => {
    const original = process.stderr.write.bind(process.stderr)
    let out = ""
    process.stderr.write = ((chunk: string | Uint8Array) => ((out += chunk.toString()), true)) as typeof process.stderr.write
    try {
      const body = { service: "svc\nX", level: "error", message: "first\n2026-01-01T00:00:00.000Z ERROR server forged\rline" }
      expect((await s.fetch("/log", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).status).toBe(200)
    } finally {
      process.stderr.write = original
    }
    const lines = out.split("\n").filter(Boolean)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain("first")
    expect(lines[0]).not.toContain("\r")
  })
})
