import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"
import { toolContext } from "../tool/harness"
import { Paths } from "../../src/global/paths"
import { mapError } from "../../src/server/errors"
import { bashTool } from "../../src/tool/bash"
import { getInstance } from "../../src/project/instance"
import * as Format from "../../src/format"
import { LspClient } from "../../src/lsp/client"

const KEY = "sk-config-" + Math.random().toString(36).slice(2)
const ENV_KEY = "sk-env-" + Math.random().toString(36).slice(2)
const HEADER_TOKEN = "Bearer hdr-" + Math.random().toString(36).slice(2)
const MCP_TOKEN = "ghp_" + Math.random().toString(36).slice(2)

/** Writes to stderr (where the log goes) while fn runs, returned as one string. */
async function captureStderr(fn: () => unknown): Promise<string> {
  const original = process.stderr.write.bind(process.stderr)
  let out = ""
  process.stderr.write = ((chunk: string | Uint8Array) => ((out += chunk.toString()), true)) as typeof process.stderr.write
  try {
    await fn()
  } finally {
    process.stderr.write = original
  }
  return out
}

describe("API keys in config never leave through the API", () => {
  let s: TestServer
  let dir: string
  beforeAll(async () => {
    process.env.SECURITY_TEST_KEY = ENV_KEY
    dir = tmpdir("secret-")
    const config = {
      provider: {
        mock: { npm: "@ai-sdk/openai-compatible", options: { baseURL: "http://127.0.0.1:9/v1", apiKey: KEY, headers: { Authorization: HEADER_TOKEN, "X-Title": "opencode" } }, models: { m: {} } },
        other: { options: { apiKey: "{env:SECURITY_TEST_KEY}" } },
      },
      mcp: { gh: { type: "local", command: ["true"], enabled: false, environment: { GITHUB_TOKEN: MCP_TOKEN, LOG_LEVEL: "debug" } } },
    }
    fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(config, null, 2))
    s = await startTestServer({ directory: dir })
  })
  afterAll(() => s.stop())

  const leaks = (body: string) => [KEY, ENV_KEY, HEADER_TOKEN, MCP_TOKEN].filter((k) => body.includes(k))

  test("GET /config masks keys, tokens and auth headers, and keeps everything else", async () => {
    const r = await s.client.config.get()
    expect(leaks(JSON.stringify(r.data))).toEqual([])
    const p = (r.data as any).provider
    expect(p.mock.options.apiKey).toBe("[redacted]")
    expect(p.mock.options.headers).toEqual({ Authorization: "[redacted]", "X-Title": "opencode" })
    expect(p.mock.options.baseURL).toBe("http://127.0.0.1:9/v1")
    expect((r.data as any).mcp.gh.environment).toEqual({ GITHUB_TOKEN: "[redacted]", LOG_LEVEL: "debug" })
  })

  test("a GET-then-PATCH round trip keeps the real key in the file", async () => {
    const current = (await s.client.config.get()).data as any
    const r = await s.fetch("/config", { method: "PATCH", headers: { "content-type": "application/json", "x-opencode-directory": dir }, body: JSON.stringify({ ...current, username: "alice" }) })
    expect(r.status).toBe(200)
    const body = await r.text()
    expect(leaks(body)).toEqual([])
    expect(JSON.parse(body).username).toBe("alice")
    const file = JSON.parse(fs.readFileSync(path.join(dir, "opencode.json"), "utf8"))
    expect(file.provider.mock.options.apiKey).toBe(KEY)
    expect(file.provider.mock.options.headers.Authorization).toBe(HEADER_TOKEN)
    expect(file.mcp.gh.environment.GITHUB_TOKEN).toBe(MCP_TOKEN)
    expect(JSON.stringify(file)).not.toContain("[redacted]")
  })

  test("provider listings never carry a key, stored or configured", async () => {
    expect((await s.client.auth.set({ path: { id: "anthropic" }, body: { type: "api", key: "sk-stored-xyz" } })).data).toBe(true)
    for (const p of ["/provider", "/config/providers", "/provider/auth"]) {
      const body = await (await s.fetch(p, { headers: { "x-opencode-directory": dir } })).text()
      expect({ p, leaks: leaks(body), stored: body.includes("sk-stored-xyz") }).toEqual({ p, leaks: [], stored: false })
    }
  })
})

describe("auth.json", () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer()
  })
  afterAll(() => s.stop())

  test("is owner-only in an owner-only directory, even one that was created open, and written whole", async () => {
    fs.chmodSync(Paths.data, 0o755)
    expect((await s.client.auth.set({ path: { id: "openai" }, body: { type: "api", key: "sk-1" } })).data).toBe(true)
    const file = path.join(Paths.data, "auth.json")
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.statSync(Paths.data).mode & 0o777).toBe(0o700)
    expect(fs.readdirSync(Paths.data).filter((f) => f.includes("auth.json") && f !== "auth.json")).toEqual([])
    expect(JSON.parse(fs.readFileSync(file, "utf8")).openai.key).toBe("sk-1")
  })
})

describe("the auth_token query never reaches the log", () => {
  test("an unexpected error is logged with the token masked", async () => {
    const token = Buffer.from("opencode:hunter2-pw").toString("base64")
    const request = new Request(`http://127.0.0.1:4096/session?directory=/x&auth_token=${encodeURIComponent(token)}`)
    const prev = process.env.OPENCODE_LOG_LEVEL
    process.env.OPENCODE_LOG_LEVEL = "debug"
    const out = await captureStderr(() => mapError("UNKNOWN", new Error("boom"), request))
    process.env.OPENCODE_LOG_LEVEL = prev
    expect(out).toContain("boom")
    expect(out).toContain("directory=/x")
    expect(out).not.toContain(token)
    expect(out).not.toContain(encodeURIComponent(token))
    expect(out).toContain("auth_token=")
  })
})

describe("programs we start do not inherit the server password", () => {
  let prev: string | undefined
  beforeAll(() => {
    prev = process.env.OPENCODE_SERVER_PASSWORD
    process.env.OPENCODE_SERVER_PASSWORD = "server-secret-pw"
  })
  afterAll(() => {
    if (prev === undefined) delete process.env.OPENCODE_SERVER_PASSWORD
    else process.env.OPENCODE_SERVER_PASSWORD = prev
  })

  test("bash", async () => {
    const { ctx } = await toolContext(tmpdir("env-"))
    const r = await bashTool.execute({ command: "env" }, ctx)
    expect(r.output).toContain("PATH=")
    expect(r.output).not.toContain("server-secret-pw")
  })

  test("formatters", async () => {
    const dir = tmpdir("env-")
    const dump = path.join(dir, "formatter.env")
    fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify({ formatter: { dump: { command: ["sh", "-c", `env > '${dump}'`], extensions: [".txt"] } } }))
    fs.writeFileSync(path.join(dir, "a.txt"), "x")
    await Format.formatFile(await getInstance(dir), path.join(dir, "a.txt"))
    const env = fs.readFileSync(dump, "utf8")
    expect(env).toContain("PATH=")
    expect(env).not.toContain("server-secret-pw")
  })

  test("language servers", async () => {
    const dir = tmpdir("env-")
    const dump = path.join(dir, "lsp.env")
    await LspClient.start({ serverID: "dump", root: dir, command: ["sh", "-c", `env > '${dump}'`], onDiagnostics() {}, onExit() {} }).catch(() => {})
    const env = fs.readFileSync(dump, "utf8")
    expect(env).toContain("PATH=")
    expect(env).not.toContain("server-secret-pw")
  })
})
