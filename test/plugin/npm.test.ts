// A real published plugin, installed from the npm registry by the server itself into a
// temporary cache (the executable acting as bun's package manager with BUN_BE_BUN=1; from
// source, bun), then reused with the registry unreachable. Run against the source and, when
// it is built and fresh, the compiled binary.
import { describe, test, expect, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { binaryPath, hostPlatform } from "../../build"
import { staleReason } from "../binary/fresh"
import { FROM_SOURCE, spawnServe, reap, type ServeProcess } from "../cli/serve-process"
import { startMockLLM, mockProviderConfig } from "../helpers/mock-llm"
import { tmpdir, writeTree } from "../helpers/tmp"

// Small, no install scripts, no side effects at start-up: an `auth` hook and a system-prompt
// transform for the anthropic provider. Pinned so the test does not move under us.
const PACKAGE = "opencode-anthropic-auth@0.0.13"

const helloTool = `
import { tool } from "@opencode-ai/plugin"
export default tool({
  description: "Says hello",
  args: { who: tool.schema.string().describe("whom") },
  async execute(args) { return "hello " + args.who },
})
`

// A tool importing a package the project's .opencode/package.json declares (installed by the server).
const oddTool = `
import { tool } from "@opencode-ai/plugin"
import isNumber from "is-number"
export default tool({ description: "Is it a number?", args: { v: tool.schema.string() }, async execute(args) { return String(isNumber(args.v)) } })
`

// A plugin in the user's global config folder, adding a tool through its `tool` hook.
const globalPlugin = `
import { tool, type Plugin } from "@opencode-ai/plugin"
export const Everywhere: Plugin = async () => ({
  tool: { everywhere: tool({ description: "Present in every project", args: {}, async execute() { return "here" } }) },
})
`

const platform = hostPlatform()
const bin = platform && binaryPath(platform)
const stale = bin ? staleReason(bin) : "no build target"
const modes: Array<[string, string[]]> = [["from source", [...FROM_SOURCE, "serve", "--port", "0"]]]
if (!stale) modes.push(["compiled", [bin!, "serve", "--port", "0"]])
else console.warn(`plugin tests: skipping the compiled binary: ${stale} (run: bun build.ts --target current)`)

const running: ServeProcess[] = []
afterAll(() => reap(running))

for (const [mode, cmd] of modes)
  describe(`npm plugins and custom tools (${mode})`, () => {
    test("installs a published plugin into the cache, loads it with a custom tool, then reuses it offline", async () => {
      const llm = await startMockLLM()
      try {
        const cache = tmpdir("plugin-cache-")
        const config = mockProviderConfig(llm.url, { extra: { plugin: [PACKAGE], agent: { title: { disable: true } } } })
        // The plugin's system-prompt transform only acts on the "anthropic" provider: here it is the mock.
        const anthropic = { ...config, provider: { anthropic: config.provider.mock }, model: "anthropic/mock-model", small_model: "anthropic/mock-model" }
        const dir = writeTree(tmpdir("plugin-project-"), {
          "opencode.json": JSON.stringify(anthropic),
          ".opencode/tool/hello.ts": helloTool,
          ".opencode/tool/odd.ts": oddTool,
          ".opencode/package.json": JSON.stringify({ dependencies: { "is-number": "7.0.0" } }),
        })
        const globalConfig = writeTree(tmpdir("plugin-global-"), { "plugins/everywhere.ts": globalPlugin })
        const env = { OPENCODE_BUN_CACHE_DIR: cache, OPENCODE_CONFIG_DIR: globalConfig }
        const s = await spawnServe(cmd, { cwd: dir, env, timeoutMs: 20_000 })
        running.push(s)
        const q = `?directory=${encodeURIComponent(dir)}`
        const status = (await (await fetch(s.base + "/experimental/plugin" + q)).json()) as any[]
        expect(status).toEqual([
          expect.objectContaining({ name: PACKAGE, source: "npm", status: "loaded", version: "0.0.13", hooks: ["experimental.chat.system.transform", "auth"] }),
          expect.objectContaining({ name: path.join(globalConfig, "plugins/everywhere.ts"), source: "file", status: "loaded", tools: ["everywhere"] }),
          expect.objectContaining({ source: "tool", status: "loaded", tools: ["hello"] }),
          expect.objectContaining({ source: "tool", status: "loaded", tools: ["odd"] }),
        ])
        expect(fs.existsSync(path.join(dir, ".opencode/node_modules/is-number/package.json"))).toBe(true)
        expect(fs.existsSync(path.join(cache, "plugins", PACKAGE, "node_modules", "opencode-anthropic-auth", "index.mjs"))).toBe(true)
        // The custom tool (importing @opencode-ai/plugin with nothing installed beside it) is offered.
        const ids = await (await fetch(s.base + "/experimental/tool/ids" + q)).json()
        expect(ids).toContain("hello")
        expect(ids).toContain("everywhere")
        // The published plugin's hook shapes the system prompt the model receives.
        const session = (await (await fetch(s.base + "/session" + q, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as any
        llm.enqueue({ text: "hi" })
        const prompt = await fetch(s.base + `/session/${session.id}/message` + q, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ parts: [{ type: "text", text: "hello" }] }),
        })
        expect(prompt.status).toBe(200)
        expect(llm.requests.at(-1).messages[0].content).toStartWith("You are Claude Code, Anthropic's official CLI for Claude.")
        // Its `auth` hook: Claude Pro/Max sign-in listed and started (the code exchange would need anthropic.com).
        const methods = (await (await fetch(s.base + "/provider/auth" + q)).json()) as any
        expect(methods.anthropic.map((m: any) => m.label)).toEqual(["Claude Pro/Max", "Create an API Key", "Manually enter API Key"])
        const authorize = await fetch(s.base + "/provider/anthropic/oauth/authorize" + q, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ method: 0 }) })
        const started = (await authorize.json()) as any
        expect(started.method).toBe("code")
        expect(started.url).toStartWith("https://claude.ai/oauth/authorize?")
        expect(new URL(started.url).searchParams.get("code_challenge_method")).toBe("S256")
        await s.signal("SIGTERM")

        // Offline: the registry is unreachable; the cached plugin still loads, a new one fails with the reason.
        const offline = { ...anthropic, plugin: [PACKAGE, "opencode-wakatime@1.3.9"] }
        fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(offline))
        const registry = { BUN_CONFIG_REGISTRY: "http://127.0.0.1:9/", NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/", npm_config_registry: "http://127.0.0.1:9/" }
        const again = await spawnServe(cmd, { cwd: dir, env: { ...env, ...registry }, timeoutMs: 20_000 })
        running.push(again)
        const after = (await (await fetch(again.base + "/experimental/plugin" + q)).json()) as any[]
        expect(after[0]).toMatchObject({ name: PACKAGE, status: "loaded" })
        expect(after[1]).toMatchObject({ name: "opencode-wakatime@1.3.9", status: "failed", error: expect.stringContaining("installing opencode-wakatime@1.3.9 from the npm registry failed") })
        await again.signal("SIGTERM")
      } finally {
        await llm.stop()
      }
    }, 120_000)
  })
