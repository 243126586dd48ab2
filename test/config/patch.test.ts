import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir, tmpTree } from "../helpers/tmp"

// PATCH /config writes only real settings, into a file users commit and share; the write is
// atomic and concurrent PATCHes all land.

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.stop())

const patch = (dir: string, body: unknown) =>
  server.fetch("/config", { method: "PATCH", headers: { "content-type": "application/json", "x-opencode-directory": dir }, body: JSON.stringify(body) })

describe("keys that are not settings", () => {
  test("an unknown key is refused with its path, never written, never shown back", async () => {
    const original = `{\n  // mine\n  "username": "u"\n}\n`
    const dir = tmpTree({ "opencode.jsonc": original })
    const res = await patch(dir, { bar_unknown: { x: 1 }, username: "v" })
    expect(res.status).toBe(400)
    const err = await res.json()
    expect(err.name).toBe("ConfigInvalidError")
    expect(err.data.issues).toEqual([{ path: "bar_unknown", message: "is not a setting; nothing was written" }])
    expect(err.data.message).toContain("bar_unknown")
    expect(fs.readFileSync(path.join(dir, "opencode.jsonc"), "utf8")).toBe(original)
    const shown = (await server.sdk(dir).config.get()).data as Record<string, unknown>
    expect(shown.bar_unknown).toBeUndefined()
    expect(shown.username).toBe("u")
  })

  test("the issue's body: constructor.prototype is refused by name, and the file is left as it was", async () => {
    const dir = tmpTree({ "opencode.json": `{ "username": "u" }` })
    // Raw text: in an object literal `__proto__` would set the prototype, not make a key.
    for (const [raw, key] of [
      ['{"bar_unknown": {"x": 1}, "constructor": {"prototype": {"polluted": "x"}}}', "constructor"],
      ['{"agent": {"plan": {"__proto__": {"polluted": "x"}}}}', "agent.plan.__proto__"],
      ['{"__proto__": {"polluted": "x"}}', "__proto__"],
    ]) {
      const res = await server.fetch("/config", { method: "PATCH", headers: { "content-type": "application/json", "x-opencode-directory": dir }, body: raw })
      expect(res.status).toBe(400)
      expect((await res.json()).data.message).toContain(`'${key}' is not allowed`)
    }
    expect(fs.readFileSync(path.join(dir, "opencode.json"), "utf8")).toBe(`{ "username": "u" }`)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test("nested: a typo in a fixed object is refused; free-form places (agent entries, provider options) take any key", async () => {
    const dir = tmpdir()
    const typo = await patch(dir, { watcher: { ignroe: ["dist"] }, compaction: { auto: true } })
    expect(typo.status).toBe(400)
    expect((await typo.json()).data.issues.map((i: { path: string }) => i.path)).toEqual(["watcher.ignroe"])
    const mcp = await patch(dir, { mcp: { local: { type: "local", command: ["x"], enviroment: {} } } })
    expect(mcp.status).toBe(400)
    expect((await mcp.json()).data.message).toContain("mcp.local.enviroment")
    expect(fs.existsSync(path.join(dir, "opencode.json"))).toBe(false)

    const free = await patch(dir, {
      agent: { helper: { description: "helps", reasoningEffort: "high" } },
      provider: { local: { options: { baseURL: "http://127.0.0.1:1/v1", customHeader: "x" }, models: { m: { name: "M", anything: 1 } } } },
      permission: { edit: "ask", webfetch: "deny", some_new_tool: "allow" },
    })
    expect(free.status).toBe(200)
    const written = JSON.parse(fs.readFileSync(path.join(dir, "opencode.json"), "utf8"))
    expect(written.agent.helper.reasoningEffort).toBe("high")
    expect(written.provider.local.options.customHeader).toBe("x")
  })

  test("a wrong type where an object belongs is refused, not written as {}", async () => {
    const dir = tmpdir()
    const res = await patch(dir, { keybinds: 12345 })
    expect(res.status).toBe(400)
    expect((await res.json()).data.message).toContain("keybinds")
    expect(fs.existsSync(path.join(dir, "opencode.json"))).toBe(false)
  })

  test("GET, change one field, PATCH it all back: unknown keys some file already holds are no reason to refuse", async () => {
    const dir = tmpTree({ "opencode.json": JSON.stringify({ someFutureSetting: { a: 1 }, username: "u" }, null, 2) })
    const all = (await server.sdk(dir).config.get()).data as Record<string, unknown>
    expect(all.someFutureSetting).toEqual({ a: 1 })
    const res = await patch(dir, { ...all, username: "changed" })
    expect(res.status).toBe(200)
    const written = JSON.parse(fs.readFileSync(path.join(dir, "opencode.json"), "utf8"))
    expect(written).toEqual({ someFutureSetting: { a: 1 }, username: "changed" })
    // Changed, the unknown key is a write of something that is not a setting: refused.
    const changed = await patch(dir, { ...all, someFutureSetting: { a: 2 } })
    expect(changed.status).toBe(400)
  })
})

describe("the write", () => {
  test("concurrent PATCHes all land; comments survive; readers never see a partial file", async () => {
    const dir = tmpTree({ "opencode.jsonc": `{\n  // header comment\n  "username": "u"\n}\n` })
    const file = path.join(dir, "opencode.jsonc")
    let reading = true
    const seen: string[] = []
    const reader = (async () => {
      while (reading) {
        const text = fs.readFileSync(file, "utf8")
        if (!text.includes("// header comment") || !text.trim().endsWith("}")) seen.push(text)
        await Bun.sleep(0)
      }
    })()
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => patch(dir, { agent: { [`a${i}`]: { description: `agent ${i}` } } })))
    reading = false
    await reader
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200))
    const text = fs.readFileSync(file, "utf8")
    expect(text).toContain("// header comment")
    const cfg = (await server.sdk(dir).config.get()).data as any
    expect(Object.keys(cfg.agent).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`).sort())
    expect(seen).toEqual([])
    // No temporary file left behind.
    expect(fs.readdirSync(dir)).toEqual(["opencode.jsonc"])
  })

  test("keeps the file's mode and writes through a symlink", async () => {
    const dir = tmpdir()
    const shared = tmpTree({ "shared.json": `{ "username": "u" }\n` })
    const real = path.join(shared, "shared.json")
    fs.chmodSync(real, 0o640)
    fs.symlinkSync(real, path.join(dir, "opencode.json"))
    const res = await patch(dir, { username: "v" })
    expect(res.status).toBe(200)
    expect(fs.lstatSync(path.join(dir, "opencode.json")).isSymbolicLink()).toBe(true)
    expect(JSON.parse(fs.readFileSync(real, "utf8")).username).toBe("v")
    expect(fs.statSync(real).mode & 0o777).toBe(0o640)
    expect(fs.readdirSync(shared)).toEqual(["shared.json"])
  })
})
