import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { startMockLLM, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { project, text } from "../helpers/harness"
import { terminalSocket } from "../pty/terminal-socket"
import { openLogFile } from "../../src/util/log-file"
import { mapError } from "../../src/server/errors"
import { assignRequestId } from "../../src/server/request-id"

// Request ids, metrics and the base path, in-process (test/parity/binary.test.ts drives the
// compiled binary for logs, the base path and auth_token).

let llm: MockLLM
let plain: TestServer
let locked: TestServer
let sub: TestServer
const auth = { username: "opencode", password: "metrics-pw" }
const authorization = "Basic " + Buffer.from(`${auth.username}:${auth.password}`).toString("base64")

beforeAll(async () => {
  llm = await startMockLLM()
  plain = await startTestServer({ directory: project(llm) })
  locked = await startTestServer({ auth })
  sub = await startTestServer({ basePath: "/oc" })
})
afterAll(async () => {
  await Promise.all([plain.stop(), locked.stop(), sub.stop()])
  await llm.stop()
})

describe("request ids", () => {
  test("every answer has x-request-id; a sane caller id is kept; every error body carries it", async () => {
    const ok = await plain.fetch("/global/health")
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
    expect((await plain.fetch("/global/health", { headers: { "x-request-id": "proxy-42" } })).headers.get("x-request-id")).toBe("proxy-42")
    expect((await plain.fetch("/global/health", { headers: { "x-request-id": "bad id\u0007" } })).headers.get("x-request-id")).not.toBe("bad id\u0007")
    const errors = [
      await plain.fetch("/session/ses_nope"),
      await plain.fetch("/no/such/route"),
      await plain.fetch("/session?limit=abc"),
      await plain.fetch("/session", { method: "POST", headers: { "content-type": "application/json" }, body: "[1]" }),
      await locked.fetch("/session"),
    ]
    for (const r of errors) {
      const body = await r.json()
      expect({ status: r.status, requestID: body.requestID }).toEqual({ status: r.status, requestID: r.headers.get("x-request-id")! })
      expect(r.status).toBeGreaterThanOrEqual(400)
    }
  })
})

test("an unexpected error is logged with its stack and the request id", async () => {
  const request = new Request("http://127.0.0.1/session", { headers: { "x-request-id": "trace-99" } })
  assignRequestId(request)
  const original = process.stderr.write.bind(process.stderr)
  const prev = process.env.OPENCODE_LOG_LEVEL
  let out = ""
  process.stderr.write = ((chunk: string | Uint8Array) => ((out += chunk.toString()), true)) as typeof process.stderr.write
  process.env.OPENCODE_LOG_LEVEL = "error"
  try {
    const mapped = mapError("UNKNOWN", new Error("kaboom"), request)
    expect(mapped.status).toBe(500)
  } finally {
    process.stderr.write = original
    process.env.OPENCODE_LOG_LEVEL = prev
  }
  expect(out).toContain('"requestID":"trace-99"')
  expect(out).toContain("kaboom")
  expect(out).toContain('"stack":"Error: kaboom')
})

describe("GET /metrics", () => {
  test("Prometheus text: requests by route pattern, latency, provider calls and tokens, live clients, memory", async () => {
    // Counters are process-wide (other servers in this file add to them): compare before and after.
    const before = await (await plain.fetch("/metrics")).text()
    const c = plain.client
    const s = (await c.session.create({ body: {} })).data!
    llm.enqueue({ text: "hi", usage: { prompt_tokens: 11, completion_tokens: 4 } })
    await c.session.prompt({ path: { id: s.id }, body: text("hello") })
    await plain.fetch(`/session/ses_missing`)
    const stream = sseReader(await plain.fetch("/event"))
    await stream.next((e) => e.data.type === "server.connected")

    const r = await plain.fetch("/metrics")
    expect(r.status).toBe(200)
    expect(r.headers.get("content-type")).toContain("text/plain; version=0.0.4")
    const m = await r.text()
    const grew = (series: string) => value(m, series) - value(before, series)
    expect(grew('http_requests_total{method="GET",route="/session/:sessionID",status="404"}')).toBe(1)
    expect(grew('http_requests_total{method="POST",route="/session/:sessionID/message",status="200"}')).toBe(1)
    expect(grew('http_request_duration_seconds_count{method="POST",route="/session"}')).toBe(1)
    expect(grew('http_request_duration_seconds_bucket{method="POST",route="/session",le="+Inf"}')).toBe(1)
    expect(grew('opencode_provider_calls_total{provider="mock",model="mock-model",outcome="ok"}')).toBe(1)
    expect(grew('opencode_provider_tokens_total{provider="mock",model="mock-model",type="input"}')).toBe(11)
    expect(grew('opencode_provider_tokens_total{provider="mock",model="mock-model",type="output"}')).toBe(4)
    expect(value(m, "opencode_sse_clients")).toBeGreaterThanOrEqual(1)
    expect(value(m, "opencode_event_buffer_events")).toBeGreaterThan(0)
    expect(value(m, "opencode_sessions_busy")).toBe(0)
    expect(value(m, "process_resident_memory_bytes")).toBeGreaterThan(1e6)
    stream.cancel()
  })

  test("behind the same auth as every route", async () => {
    expect((await locked.fetch("/metrics")).status).toBe(401)
    const ok = await locked.fetch("/metrics", { headers: { authorization } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain("# TYPE http_requests_total counter")
  })
})

describe("serving under a sub-path", () => {
  test("--base-path: routes, /doc's page and spec, share links and terminals all carry the prefix", async () => {
    const c = createOpencodeClient({ baseUrl: sub.base + "/oc", directory: sub.directory })
    const s = (await c.session.create({ body: {} })).data!
    expect((await c.session.get({ path: { id: s.id } })).data!.id).toBe(s.id)
    const page = await (await sub.fetch("/oc/doc")).text()
    expect(page).toContain('data-url="/oc/doc/json"')
    expect(page).toContain('src="/oc/doc/scalar.js"')
    expect((await sub.fetch("/oc/doc/scalar.js")).status).toBe(200)
    const spec = await (await sub.fetch("/oc/doc/json")).json()
    expect(spec.servers).toEqual([{ url: "/oc" }])
    const shared = (await c.session.share({ path: { id: s.id } })).data!
    expect(shared.share!.url).toMatch(new RegExp(`^${sub.base}/oc/share/[A-Za-z0-9_-]+$`))
    expect((await fetch(shared.share!.url)).status).toBe(200)

    // A WebSocket upgrade through the prefix (Bun upgrades only the request it handed over).
    const pty = (await c.pty.create({ body: { command: "bash", args: ["--norc", "--noprofile"] } })).data!
    const term = terminalSocket(`${sub.base.replace(/^http/, "ws")}/oc/pty/${pty.id}/connect?directory=${encodeURIComponent(sub.directory)}`)
    await term.waitCursor()
    term.send("echo via-$((6*7))\r")
    await term.waitFor(/via-42\r\n/)
    term.close()
    await c.pty.remove({ path: { id: pty.id } })
  })

  test("X-Forwarded-Prefix from a proxy that strips the prefix itself: links get it", async () => {
    const headers = { "x-forwarded-prefix": "/tools/opencode/" }
    expect(await (await plain.fetch("/doc", { headers })).text()).toContain('data-url="/tools/opencode/doc/json"')
    const s = (await plain.client.session.create({ body: {} })).data!
    const shared = await (await plain.fetch(`/session/${s.id}/share`, { method: "POST", headers })).json()
    expect(shared.share.url).toMatch(/\/tools\/opencode\/share\/[A-Za-z0-9_-]+$/)
    // A header that is not a plain path is ignored.
    expect(await (await plain.fetch("/doc", { headers: { "x-forwarded-prefix": '/"><script>' } })).text()).toContain('data-url="/doc/json"')
  })
})

describe("log files", () => {
  test("roll over past the size limit and keep only the newest files", async () => {
    const dir = tmpdir("logs-")
    fs.writeFileSync(path.join(dir, "20200101T000000.log"), "old\n")
    fs.writeFileSync(path.join(dir, "notes.txt"), "not a log\n")
    const file = openLogFile(dir, { maxBytes: 100, keep: 3 })
    for (let i = 0; i < 10; i++) {
      file.write(`line ${i} ${"x".repeat(60)}\n`)
      file.flush()
    }
    const logs = fs.readdirSync(dir).filter((f) => f.endsWith(".log")).sort()
    expect(logs).toHaveLength(3)
    expect(logs).not.toContain("20200101T000000.log")
    expect(fs.existsSync(path.join(dir, "notes.txt"))).toBe(true)
    // Each line overflows its file: the kept ones are the newest lines, and the file written to now.
    const kept = logs.map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("")
    expect(kept).toContain("line 9")
    expect(kept).not.toContain("line 0 ")
    expect(logs.map((f) => path.join(dir, f))).toContain(file.path())
    expect(fs.statSync(file.path()).mode & 0o777).toBe(0o600)
  })
})

/** The value of one series in a Prometheus text exposition (0 when absent). */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(series + " "))
  return line ? Number(line.slice(series.length + 1)) : 0
}
