// Logs, the base path and ?auth_token= against the compiled executable, as an operator runs it.
// CI builds it first (.ci/run); locally `bun build.ts --target current` does.
import { afterAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { binaryPath, hostPlatform } from "../../build"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { until } from "../helpers/harness"
import { staleReason } from "./fresh"
import { run, spawnServe, reap, type ServeProcess } from "../cli/serve-process"

const platform = hostPlatform()
const bin = platform && binaryPath(platform)
const missing = !platform ? `no build target for ${process.platform}-${process.arch}` : staleReason(bin!)
if (missing) test.skip(`operating the compiled binary (skipped: ${missing})`, () => {})

const PASSWORD = "op-secret-pw"
const token = Buffer.from(`opencode:${PASSWORD}`).toString("base64")
const authorization = `Basic ${token}`

function logText(s: ServeProcess) {
  const dir = path.join(s.dataDir, "log")
  if (!fs.existsSync(dir)) return ""
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".log"))
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
    .join("")
}

if (!missing) describe("operating the compiled binary", () => {
  const running: ServeProcess[] = []
  afterAll(() => reap(running))

  test("logs go to a file in the data dir: request lines with ids, POST /log entries, errors; never the password", async () => {
    const s = await spawnServe([bin!, "serve", "--port", "0", "--log-level", "DEBUG"], { env: { OPENCODE_SERVER_PASSWORD: PASSWORD } })
    running.push(s)
    const missingSession = await fetch(`${s.base}/session/ses_nope?auth_token=${encodeURIComponent(token)}`)
    expect(missingSession.status).toBe(404)
    const id = missingSession.headers.get("x-request-id")!
    expect((await missingSession.json()).requestID).toBe(id)
    const logged = await fetch(`${s.base}/log`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ service: "web-app", level: "warn", message: "from the client" }),
    })
    expect(logged.status).toBe(200)
    expect((await fetch(`${s.base}/session`, { headers: { authorization: "Basic " + btoa("opencode:wrong") } })).status).toBe(401)

    const text = await until(() => {
      const t = logText(s)
      return t.includes("from the client") && t.includes(id) ? t : undefined
    }, 5000, "log lines in the log file")
    expect(text).toMatch(new RegExp(`INFO  http GET /session/ses_nope 404 [0-9.]+ms \\{"requestID":"${id}"\\}`))
    expect(text).toContain("WARN  web-app from the client")
    expect(text).toMatch(/GET \/session 401 /)
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toContain(token)
    expect(text).not.toContain(encodeURIComponent(token))
    expect(fs.statSync(path.join(s.dataDir, "log")).mode & 0o777).toBe(0o700)
    // Without --print-logs nothing of it reaches the terminal.
    expect(s.stderr()).not.toContain("from the client")
    await s.signal("SIGTERM")
  })

  test("--print-logs prints them on stderr too; bad --log-level and --base-path are usage errors", async () => {
    // The default level (INFO), not the one this test process runs with.
    const s = await spawnServe([bin!, "serve", "--port", "0", "--print-logs"], { env: { OPENCODE_LOG_LEVEL: undefined } })
    running.push(s)
    await fetch(`${s.base}/global/health`, { headers: { "x-request-id": "probe-7" } })
    await s.waitOutput('GET /global/health 200')
    expect(s.stderr()).toContain('{"requestID":"probe-7"}')
    await s.signal("SIGTERM")
    expect(logText(s)).toContain("probe-7")
    const level = await run([bin!, "serve", "--log-level", "LOUD"])
    expect(level.code).not.toBe(0)
    expect(level.stderr).toContain("--log-level")
    const base = await run([bin!, "serve", "--base-path", "/a b"])
    expect(base.code).not.toBe(0)
    expect(base.stderr).toContain("--base-path")
  })

  test("--base-path with a password: the SDK, /doc, share links, metrics and ?auth_token= streams all work under it", async () => {
    const project = tmpdir()
    const s = await spawnServe([bin!, "serve", "--port", "0", "--base-path", "/oc/"], { cwd: project, env: { OPENCODE_SERVER_PASSWORD: PASSWORD } })
    running.push(s)
    expect(s.stdout()).toContain(`listening on http://127.0.0.1:${s.port}/oc`)
    const c = createOpencodeClient({ baseUrl: `${s.base}/oc`, directory: project, headers: { authorization } })
    const session = (await c.session.create({ body: {} })).data!
    const shared = (await c.session.share({ path: { id: session.id } })).data!
    expect(shared.share!.url).toMatch(new RegExp(`^${s.base}/oc/share/[A-Za-z0-9_-]+$`))
    expect((await fetch(shared.share!.url)).status).toBe(200)

    const page = await (await fetch(`${s.base}/oc/doc`, { headers: { authorization } })).text()
    expect(page).toContain('data-url="/oc/doc/json"')
    expect((await fetch(`${s.base}/oc/doc/scalar.js`, { headers: { authorization } })).status).toBe(200)
    expect((await fetch(`${s.base}/oc/doc`)).status).toBe(401)

    // EventSource clients cannot send headers: ?auth_token= under the prefix.
    const stream = sseReader(await fetch(`${s.base}/oc/event?directory=${encodeURIComponent(project)}&auth_token=${encodeURIComponent(token)}`))
    await stream.next((e) => e.data.type === "server.connected")
    await c.session.update({ path: { id: session.id }, body: { title: "renamed" } })
    await stream.next((e) => e.data.type === "session.updated" && e.data.properties.info.title === "renamed")
    stream.cancel()
    expect((await fetch(`${s.base}/oc/event?auth_token=${encodeURIComponent(btoa("opencode:nope"))}`)).status).toBe(401)

    // prom-client, loaded on the first scrape, works inside the executable.
    expect((await fetch(`${s.base}/oc/metrics`)).status).toBe(401)
    const metrics = await (await fetch(`${s.base}/oc/metrics`, { headers: { authorization } })).text()
    expect(metrics).toContain('http_requests_total{method="POST",route="/session/:sessionID/share",status="200"} 1')
    expect(metrics).toMatch(/\nprocess_resident_memory_bytes \d+/)
    await s.signal("SIGTERM")
  })
})
