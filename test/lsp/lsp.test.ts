import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { alive, until } from "../helpers/wait"
import { getInstance, disposeInstance } from "../../src/project/instance"
import * as Lsp from "../../src/lsp"

// A real typescript-language-server (devDependency), found through the project's own
// node_modules/.bin: the temp project links the repository's node_modules.
const REPO_MODULES = path.resolve(import.meta.dir, "../../node_modules")
// tsserver loads the project before its first answer: ~4 s idle, 12 s seen on a busy machine.
const COLD_START = 30_000

function tsProject() {
  const dir = tmpdir("lsp-")
  fs.symlinkSync(REPO_MODULES, path.join(dir, "node_modules"))
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "p", private: true }))
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [], lib: ["es2022"] } }))
  fs.mkdirSync(path.join(dir, "src"))
  fs.writeFileSync(path.join(dir, "src/greet.ts"), `export function greetVisitor(name: string): string {\n  return "hi " + name\n}\n`)
  return dir
}

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s.stop())

describe("typescript language server", () => {
  let dir: string
  let file: string
  beforeAll(() => {
    dir = tsProject()
    file = path.join(dir, "src/greet.ts")
  })
  afterAll(() => disposeInstance(dir))

  test("a type error after an edit reaches the model as diagnostics text", async () => {
    const events = sseReader(await s.fetch(`/event?directory=${encodeURIComponent(dir)}`))
    const instance = await getInstance(dir)
    fs.writeFileSync(file, `export function greetVisitor(name: string): string {\n  return "hi " + name\n}\nexport const count: number = "three"\n`)
    await Lsp.touchFile(instance, file)
    const text = await Lsp.diagnosticsFor(instance, file)
    expect(text).toContain("src/greet.ts")
    expect(text).toMatch(/ERROR 4:14 Type 'string' is not assignable to type 'number'/)
    const ev = await events.next((e) => e.data.type === "lsp.client.diagnostics" && e.data.properties.path === file)
    expect(ev.data.properties.serverID).toBe("typescript")
    await events.next((e) => e.data.type === "lsp.updated")
  }, COLD_START)

  test("GET /lsp shows the server connected at the project root", async () => {
    const { data, error } = await s.sdk(dir).lsp.status()
    expect(error).toBeUndefined()
    expect(data).toEqual([{ id: "typescript", name: "typescript-language-server", root: "", status: "connected" }])
  })

  test("fixing the error clears the diagnostics", async () => {
    const instance = await getInstance(dir)
    fs.writeFileSync(file, `export function greetVisitor(name: string): string {\n  return "hi " + name\n}\nexport const count: number = 3\n`)
    await Lsp.touchFile(instance, file)
    expect(await Lsp.diagnosticsFor(instance, file)).toBe("")
  })

  test("workspace symbols come from the running server", async () => {
    const instance = await getInstance(dir)
    const symbols = await Lsp.workspaceSymbols(instance, "greetVisitor")
    const hit = symbols.find((x) => x.name === "greetVisitor")
    expect(hit).toBeDefined()
    expect(hit!.location.uri).toBe(Bun.pathToFileURL(file).href)
    expect(hit!.location.range.start.line).toBe(0)
  })

  test("a crashed server shows as error; dispose kills the rest", async () => {
    const other = tsProject()
    const instance = await getInstance(other)
    await Lsp.touchFile(instance, path.join(other, "src/greet.ts"))
    const pid = serverPid(other)
    expect(Lsp.status(instance)[0]!.status).toBe("connected")
    process.kill(pid, "SIGKILL")
    await until(() => Lsp.status(instance)[0]!.status === "error", 5000, "the server marked as failed")
    expect(await Lsp.diagnosticsFor(instance, path.join(other, "src/greet.ts"))).toBe("")

    const live = serverPid(dir)
    await disposeInstance(dir)
    await until(() => !alive(live), 5000, "the server process to exit")
    await disposeInstance(other)
  }, COLD_START)
})

describe("nothing available", () => {
  test("a file type with no installed server starts nothing", async () => {
    const dir = tmpdir("lsp-none-")
    fs.writeFileSync(path.join(dir, "main.zz"), "x")
    const instance = await getInstance(dir)
    await Lsp.touchFile(instance, path.join(dir, "main.zz"))
    expect(await Lsp.diagnosticsFor(instance, path.join(dir, "main.zz"))).toBe("")
    expect(await Lsp.workspaceSymbols(instance, "x")).toEqual([])
    const { data } = await s.sdk(dir).lsp.status()
    expect(data).toEqual([])
  })

  test("a configured server whose program is missing is reported as error, once", async () => {
    const dir = tmpdir("lsp-bad-")
    fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify({ lsp: { zz: { command: ["./no-such-server"], extensions: [".zz"] } } }))
    fs.writeFileSync(path.join(dir, "a.zz"), "x")
    const instance = await getInstance(dir)
    await Lsp.touchFile(instance, path.join(dir, "a.zz"))
    await Lsp.touchFile(instance, path.join(dir, "a.zz"))
    const { data } = await s.sdk(dir).lsp.status()
    expect(data).toEqual([{ id: "zz", name: "no-such-server", root: "", status: "error" }])
  })

  test("lsp: false disables every server; files outside the project are ignored", async () => {
    const dir = tsProject()
    fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify({ lsp: false }))
    const instance = await getInstance(dir)
    await Lsp.touchFile(instance, path.join(dir, "src/greet.ts"))
    const outside = tsProject()
    const open = await getInstance(tsProject())
    await Lsp.touchFile(open, path.join(outside, "src/greet.ts"))
    expect(Lsp.status(instance)).toEqual([])
    expect(Lsp.status(open)).toEqual([])
  })
})

function serverPid(root: string): number {
  for (const entry of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8")
      if (cmd.includes("typescript-language-server") && fs.readlinkSync(`/proc/${entry}/cwd`) === root) return Number(entry)
    } catch {}
  }
  throw new Error(`no typescript-language-server running in ${root}`)
}

