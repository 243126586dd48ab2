// Drives the compiled executable the way a user would. CI builds it first (.ci/run); locally
// `bun build.ts --target current` does.
import { describe, test, expect, afterAll, beforeAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk"
import pkg from "../../package.json" with { type: "json" }
import { binaryPath, hostPlatform, PLATFORMS } from "../../build"
import { ripgrepBinaryFor } from "../../src/file/ripgrep-embed"
import { sseReader, seqOf } from "../helpers/sse"
import { startMockLLM, mockProviderConfig } from "../helpers/mock-llm"
import { tmpdir } from "../helpers/tmp"
import { staleReason } from "./fresh"
import { ROOT, run, spawnServe, reap, walFile, exists, type ServeProcess } from "../cli/serve-process"

const platform = hostPlatform()
const CLI = path.join(ROOT, "node_modules/opencode-ai/bin/opencode.exe")
const bin = platform && binaryPath(platform)

function whyNot(): string | undefined {
  if (!platform) return `no build target for ${process.platform}-${process.arch}`
  const stale = staleReason(bin!)
  if (stale) return `${stale} (run: bun build.ts --target current)`
}

const missing = whyNot()
if (missing) {
  console.warn(`skipping "the compiled binary": ${missing}`)
  test.skip(`the compiled binary (skipped: ${missing})`, () => {})
}

if (!missing) describe("the compiled binary", () => {
  const running: ServeProcess[] = []
  let s: ServeProcess
  let project: string
  beforeAll(async () => {
    project = tmpdir()
    // A user's project files the server must not pick up as its own configuration.
    fs.writeFileSync(path.join(project, ".env"), "OPENCODE_SERVER_PASSWORD=from-dotenv\n")
    fs.writeFileSync(path.join(project, "bunfig.toml"), 'preload = ["./missing-preload.ts"]\n')
    s = await spawnServe([bin!, "serve", "--port", "0"], { cwd: project })
    running.push(s)
  })
  afterAll(() => reap(running))

  test("--version and a bad flag", async () => {
    expect((await run([bin!, "--version"])).stdout.trim()).toBe(pkg.version)
    const bad = await run([bin!, "serve", "--nope"])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr.trim().split("\n")).toHaveLength(1)
  })

  test("starts and answers /global/health, ignoring the project's .env and bunfig.toml", async () => {
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`)
    const r = await fetch(s.base + "/global/health")
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ healthy: true, version: pkg.version })
  })

  test("serves the spec and the explorer with its embedded script", async () => {
    const doc = await (await fetch(s.base + "/doc", { headers: { accept: "application/json" } })).json()
    expect(doc.openapi).toStartWith("3.1")
    expect(Object.keys(doc.paths)).toContain("/global/health")
    const html = await (await fetch(s.base + "/doc", { headers: { accept: "text/html" } })).text()
    expect(html).toContain('src="/doc/scalar.js"')
    const js = await fetch(s.base + "/doc/scalar.js")
    expect(js.status).toBe(200)
    const served = new Uint8Array(await js.arrayBuffer())
    const original = fs.readFileSync(path.join(ROOT, "node_modules/@scalar/api-reference/dist/browser/standalone.js"))
    expect(served.byteLength).toBe(original.byteLength)
    expect(Bun.hash(served)).toBe(Bun.hash(original))
  })

  test("the SDK client works and the event stream delivers a bus event", async () => {
    const client = createOpencodeClient({ baseUrl: s.base, directory: project })
    const current = await client.project.current()
    expect(current.data!.id).toBe("global")
    const sse = sseReader(await fetch(s.base + "/event?directory=" + encodeURIComponent(project)))
    expect((await sse.next(() => true)).data.type).toBe("server.connected")
    await client.instance.dispose()
    const e = await sse.next((e) => e.data.type === "server.instance.disposed")
    expect(e.data.properties.directory).toBe(project)
    expect(seqOf(e.id)).toBeGreaterThan(0)
    sse.cancel()
  })

  test("searches with its embedded rg when there is no rg on PATH", async () => {
    const dir = tmpdir("rg-project-")
    fs.mkdirSync(path.join(dir, "src"))
    fs.writeFileSync(path.join(dir, "src/needle.ts"), "export const haystack = 1\nconst needle = 'found me'\n")
    fs.writeFileSync(path.join(dir, "other.md"), "no match here\n")
    fs.writeFileSync(path.join(dir, "ignored.log"), "needle in an ignored file\n")
    // Not a git repository: .gitignore would not count (for rg either), .ignore does.
    fs.writeFileSync(path.join(dir, ".ignore"), "*.log\n")
    const cache = tmpdir("rg-cache-")
    const server = await spawnServe([bin!, "serve", "--port", "0"], { cwd: dir, env: { PATH: "/nonexistent", OPENCODE_BUN_CACHE_DIR: cache } })
    running.push(server)
    const q = (p: string) => `${server.base}${p}&directory=${encodeURIComponent(dir)}`

    const text = await fetch(q("/find?pattern=needle"))
    expect(text.status).toBe(200)
    const matches = (await text.json()) as Array<{ path: { text: string }; line_number: number; lines: { text: string } }>
    expect(matches.map((m) => [m.path.text, m.line_number, m.lines.text])).toEqual([["src/needle.ts", 2, "const needle = 'found me'\n"]])

    const files = await fetch(q("/find/file?query=needle&dirs=false"))
    expect(files.status).toBe(200)
    expect(await files.json()).toEqual(["src/needle.ts"])

    // The rg it ran is the one it carries, copied out of the executable into its cache dir.
    const extracted = fs.readdirSync(path.join(cache, "bin")).filter((n) => n.startsWith("rg-"))
    expect(extracted).toHaveLength(1)
    const own = fs.readFileSync(await ripgrepBinaryFor(PLATFORMS[platform!].target))
    expect(Bun.hash(fs.readFileSync(path.join(cache, "bin", extracted[0])))).toBe(Bun.hash(own))
    expect(server.stderr()).not.toContain("no ripgrep binary found")
  })

  // The CLI comes from the opencode-ai package's per-platform binary, which not every registry has.
  test.skipIf(!fs.existsSync(CLI))("the real opencode CLI gets a model's answer, with a tool call, through the binary", async () => {
    const llm = await startMockLLM()
    try {
      const dir = tmpdir("bin-cli-")
      fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(mockProviderConfig(llm.url, { extra: { agent: { title: { disable: true } } } })))
      fs.writeFileSync(path.join(dir, "hello.txt"), "hello from the project\n")
      const server = await spawnServe([bin!, "serve", "--port", "0"], { cwd: dir })
      running.push(server)
      llm.enqueue({ toolCalls: [{ name: "read", args: { filePath: "hello.txt" } }] }, { text: "The file says hello." })
      const cli = await run([CLI, "run", "--attach", server.base, "--format", "json", "what does hello.txt say?"], { cwd: dir })
      expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: "" })
      const lines = cli.stdout.trim().split("\n").map((l) => JSON.parse(l))
      expect(lines.find((l) => l.type === "tool_use")?.part).toMatchObject({ tool: "read", state: { status: "completed" } })
      expect(lines.filter((l) => l.type === "text").at(-1)?.part.text).toBe("The file says hello.")
      // The tool really ran inside the binary: the model's second request carries the file.
      expect(JSON.stringify(llm.requests.at(-1).messages)).toContain("hello from the project")
    } finally {
      await llm.stop()
    }
  }, 30_000)

  test("SIGTERM shuts it down cleanly within 2 s", async () => {
    const sse = sseReader(await fetch(s.base + "/global/event"))
    await sse.next(() => true)
    expect(exists(walFile(s.dataDir))).toBe(true)
    const { code, ms } = await s.signal("SIGTERM")
    expect(code).toBe(0)
    expect(ms).toBeLessThan(2000)
    expect(await sse.waitClosed(500)).toBe(true)
    expect(exists(walFile(s.dataDir))).toBe(false)
  })
})
