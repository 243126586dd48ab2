import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { gitRepo, tmpdir } from "../helpers/tmp"
import { getConfig } from "../../src/config/config"
import { getInstance } from "../../src/project/instance"

const globalDir = process.env.OPENCODE_CONFIG_DIR!

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.stop()
})

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
}

async function config(dir: string) {
  const res = await server.sdk(dir).config.get()
  expect(res.response.status).toBe(200)
  return res.data as Record<string, any>
}

describe("config merge", () => {
  test("global < OPENCODE_CONFIG < project root < subdirectory < .opencode < OPENCODE_CONFIG_CONTENT", async () => {
    const repo = await gitRepo()
    const sub = path.join(repo, "pkg", "app")
    fs.mkdirSync(sub, { recursive: true })
    const custom = path.join(tmpdir("custom-"), "custom.json")
    write(path.join(globalDir, "opencode.json"), JSON.stringify({ theme: "global", username: "global", snapshot: false, share: "manual", autoupdate: false, layout: "auto" }))
    write(custom, JSON.stringify({ username: "custom", snapshot: true }))
    write(path.join(repo, "opencode.json"), JSON.stringify({ snapshot: false, share: "auto", instructions: ["ROOT.md"] }))
    write(path.join(sub, "opencode.jsonc"), `{ "share": "disabled", "instructions": ["SUB.md"], }`)
    write(path.join(repo, ".opencode", "opencode.json"), JSON.stringify({ autoupdate: "notify" }))
    process.env.OPENCODE_CONFIG = custom
    process.env.OPENCODE_CONFIG_CONTENT = JSON.stringify({ layout: "stretch" })
    try {
      const cfg = await config(sub)
      expect(cfg.theme).toBe("global")
      expect(cfg.username).toBe("custom")
      expect(cfg.snapshot).toBe(false) // project root beats OPENCODE_CONFIG
      expect(cfg.share).toBe("disabled") // the nearer file wins
      expect(cfg.autoupdate).toBe("notify") // .opencode/ beats project files
      expect(cfg.layout).toBe("stretch") // inline content beats everything
      expect(cfg.instructions).toEqual(["ROOT.md", "SUB.md"]) // instruction lists accumulate
    } finally {
      delete process.env.OPENCODE_CONFIG
      delete process.env.OPENCODE_CONFIG_CONTENT
      fs.rmSync(path.join(globalDir, "opencode.json"))
    }
  })

  test("JSONC comments and trailing commas; {env:} and {file:} substitution", async () => {
    const dir = tmpdir()
    write(path.join(dir, "secrets", "key.txt"), 'sk-"quoted"\n')
    process.env.OCB_TEST_MODEL = "anthropic/claude-test"
    write(
      path.join(dir, "opencode.jsonc"),
      `{
        // the model comes from the environment
        "model": "{env:OCB_TEST_MODEL}",
        /* block comment with {env:NOT_EXPANDED} */
        "provider": { "anthropic": { "options": { "apiKey": "{file:secrets/key.txt}", }, }, },
        "username": "x{env:OCB_TEST_UNSET_VAR}y",
      }`,
    )
    try {
      const cfg = await config(dir)
      expect(cfg.model).toBe("anthropic/claude-test")
      // The API masks keys (see config/secrets.ts); the loaded config holds the real one.
      expect(cfg.provider.anthropic.options.apiKey).toBe("[redacted]")
      expect((await getConfig(await getInstance(dir))).provider!.anthropic.options!.apiKey).toBe('sk-"quoted"')
      expect(cfg.username).toBe("xy")
    } finally {
      delete process.env.OCB_TEST_MODEL
    }
  })

  test("{file:~/...} reads from the home directory", async () => {
    const dir = tmpdir()
    write(path.join(process.env.OPENCODE_TEST_HOME!, "prompt.txt"), "from home")
    write(path.join(dir, "opencode.json"), JSON.stringify({ agent: { build: { prompt: "{file:~/prompt.txt}" } } }))
    expect((await config(dir)).agent.build.prompt).toBe("from home")
  })
})

describe("invalid config", () => {
  test("an invalid file names file and field, and its last good content stays in use", async () => {
    const dir = tmpdir()
    const file = path.join(dir, "opencode.json")
    write(file, JSON.stringify({ username: "good", agent: { plan: { temperature: 0.2 } } }))
    expect((await config(dir)).username).toBe("good")

    // an SSE listener sees the problem as a TUI toast
    const events = await server.fetch(`/event?directory=${encodeURIComponent(dir)}`)
    const { sseReader } = await import("../helpers/sse")
    const sse = sseReader(events)
    await sse.next((e) => e.data.type === "server.connected")

    write(file, JSON.stringify({ username: "bad", agent: { plan: { temperature: "hot" } } }))
    const cfg = await config(dir)
    expect(cfg.username).toBe("good")
    expect(cfg.agent.plan.temperature).toBe(0.2)
    const toast = await sse.next((e) => e.data.type === "tui.toast.show")
    expect(toast.data.properties.variant).toBe("error")
    expect(toast.data.properties.message).toContain(file)
    expect(toast.data.properties.message).toContain("agent.plan.temperature")
    sse.cancel()

    // a syntax error reports line and column, and the good content is still used
    write(file, `{\n  "username": "bad",,\n}`)
    expect((await config(dir)).username).toBe("good")

    // fixing the file applies it
    write(file, JSON.stringify({ username: "fixed" }))
    expect((await config(dir)).username).toBe("fixed")
  })

  test("a file that was never valid contributes nothing; the other sources still apply", async () => {
    const repo = await gitRepo()
    const sub = path.join(repo, "sub")
    fs.mkdirSync(sub)
    write(path.join(repo, "opencode.json"), JSON.stringify({ username: "root" }))
    write(path.join(sub, "opencode.json"), `{ "username": `)
    expect((await config(sub)).username).toBe("root")
  })

  test("unknown keys are kept, not refused", async () => {
    const dir = tmpdir()
    write(path.join(dir, "opencode.json"), JSON.stringify({ someFutureSetting: { a: 1 }, username: "u" }))
    const cfg = await config(dir)
    expect(cfg.username).toBe("u")
    expect(cfg.someFutureSetting).toEqual({ a: 1 })
  })
})

describe("PATCH /config", () => {
  test("writes the project file keeping comments and applies it without a restart", async () => {
    const dir = tmpdir()
    const file = path.join(dir, "opencode.jsonc")
    write(file, `{\n  // keep me\n  "username": "before",\n  "agent": {\n    /* and me */\n    "plan": { "temperature": 0.1 }\n  }\n}\n`)
    expect((await config(dir)).username).toBe("before")
    const client = server.sdk(dir)
    const res = await client.config.update({ body: { username: "after", agent: { plan: { top_p: 0.5 } } } as any })
    expect(res.response.status).toBe(200)
    expect((res.data as any).username).toBe("after")
    const text = fs.readFileSync(file, "utf8")
    expect(text).toContain("// keep me")
    expect(text).toContain("/* and me */")
    expect(text).toContain('"temperature": 0.1')
    expect(text).toContain('"top_p": 0.5')
    const cfg = await config(dir)
    expect(cfg.username).toBe("after")
    expect(cfg.agent.plan).toEqual({ temperature: 0.1, top_p: 0.5 })
    // derived state follows: the agent list sees the new value at once
    const agents = (await client.app.agents()).data!
    expect(agents.find((a) => a.name === "plan")!.topP).toBe(0.5)
  })

  test("creates opencode.json when the directory has none", async () => {
    const dir = tmpdir()
    const res = await server.sdk(dir).config.update({ body: { model: "anthropic/claude-x" } })
    expect(res.response.status).toBe(200)
    expect(JSON.parse(fs.readFileSync(path.join(dir, "opencode.json"), "utf8"))).toEqual({ model: "anthropic/claude-x" })
  })

  test("an invalid patch is refused with the field named and nothing written", async () => {
    const dir = tmpdir()
    const file = path.join(dir, "opencode.json")
    write(file, `{ "username": "same" }`)
    const res = await server.sdk(dir).config.update({ body: { agent: { plan: { temperature: "hot" } } } as any })
    expect(res.response.status).toBe(400)
    expect(JSON.stringify(res.error)).toContain("agent.plan.temperature")
    expect(fs.readFileSync(file, "utf8")).toBe(`{ "username": "same" }`)
  })

  test("a project file that does not parse is not overwritten", async () => {
    const dir = tmpdir()
    const file = path.join(dir, "opencode.json")
    write(file, `{ "username": `)
    const res = await server.sdk(dir).config.update({ body: { username: "x" } })
    expect(res.response.status).toBe(400)
    expect((res.error as any).name).toBe("ConfigInvalidError")
    expect((res.error as any).data.path).toBe(file)
    expect(fs.readFileSync(file, "utf8")).toBe(`{ "username": `)
  })
})
