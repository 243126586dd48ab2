import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { project as projectFor, startHarness, type Harness } from "../helpers/harness"
import { tmpdir } from "../helpers/tmp"
import { toolContext } from "../tool/harness"
import { contains } from "../../src/project/paths"
import { writeTool } from "../../src/tool/write"
import { editTool } from "../../src/tool/edit"
import { multieditTool } from "../../src/tool/multiedit"
import { patchTool } from "../../src/tool/patch"
import { readTool } from "../../src/tool/read"

// A cloned repository can hold symlinks to anywhere, including to files that do not exist
// yet: `realpath` fails on those, and a check that then trusts the link's own location lets
// a write follow it out of the project.

describe("dangling symlinks", () => {
  let project: string
  let outside: string
  beforeAll(() => {
    project = tmpdir("conf-")
    outside = tmpdir("outside-")
    fs.symlinkSync(path.join(outside, "victim.txt"), path.join(project, "dangling"))
    fs.symlinkSync(path.join(project, "dangling"), path.join(project, "chain"))
    fs.symlinkSync(path.join(outside, "newdir"), path.join(project, "dangling-dir"))
    fs.symlinkSync("not-yet.txt", path.join(project, "inner-dangling"))
  })

  test("contains() judges a dangling link by where it points", () => {
    expect(contains(project, path.join(project, "dangling"))).toBe(false)
    expect(contains(project, path.join(project, "chain"))).toBe(false)
    expect(contains(project, path.join(project, "dangling-dir", "x.txt"))).toBe(false)
    expect(contains(project, path.join(project, "inner-dangling"))).toBe(true)
    expect(contains(project, path.join(project, "no-such-dir", "x.txt"))).toBe(true)
  })

  test("a symlink loop is judged without hanging", () => {
    const dir = tmpdir("loop-")
    fs.symlinkSync(path.join(dir, "b"), path.join(dir, "a"))
    fs.symlinkSync(path.join(dir, "a"), path.join(dir, "b"))
    expect(typeof contains(dir, path.join(dir, "a"))).toBe("boolean")
  })

  const writers: Array<[string, (file: string) => Record<string, unknown>, any]> = [
    ["write", (f) => ({ filePath: f, content: "owned" }), writeTool],
    ["edit", (f) => ({ filePath: f, oldString: "", newString: "owned" }), editTool],
    ["multiedit", (f) => ({ filePath: f, edits: [{ oldString: "", newString: "owned" }] }), multieditTool],
    ["patch", (f) => ({ patchText: `*** Begin Patch\n*** Add File: ${f}\n+owned\n*** End Patch` }), patchTool],
  ]
  for (const [name, args, tool] of writers) {
    test(`${name} through a dangling link must pass the external_directory gate`, async () => {
      for (const link of ["dangling", "chain", "dangling-dir/x.txt"]) {
        const { ctx, asks } = await toolContext(project)
        await tool.execute(args(link), ctx).catch(() => {})
        expect({ link, types: asks.map((a) => a.type) }).toEqual({ link, types: ["external_directory"] })
        expect(fs.existsSync(path.join(outside, "victim.txt"))).toBe(false)
        expect(fs.existsSync(path.join(outside, "newdir"))).toBe(false)
      }
    })
  }

  test("a dangling link inside the project stays writable without asking", async () => {
    const { ctx, asks } = await toolContext(project)
    await writeTool.execute({ filePath: "inner-dangling", content: "fine" }, ctx)
    expect(asks.map((a) => a.type)).toEqual(["edit"])
    expect(fs.readFileSync(path.join(project, "not-yet.txt"), "utf8")).toBe("fine")
  })
})

describe("the file API", () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer()
    fs.writeFileSync(path.join(s.directory, "a.txt"), "inside")
    fs.symlinkSync("/etc", path.join(s.directory, "etc-link"))
    fs.symlinkSync("/etc/hostname", path.join(s.directory, "host-link"))
  })
  afterAll(() => s.stop())

  // Scoped explicitly: the server's default directory is whichever test server started last.
  const read = (p: string) => s.fetch(`/file/content?path=${encodeURIComponent(p)}&directory=${encodeURIComponent(s.directory)}`)
  const list = (p: string) => s.fetch(`/file?path=${encodeURIComponent(p)}&directory=${encodeURIComponent(s.directory)}`)

  test("paths leaving the project are refused with 403, whatever their spelling", async () => {
    const escapes = ["../../etc/passwd", "/etc/passwd", "etc-link/passwd", "etc-link", "host-link", "a.txt/../../../etc/passwd", "..\\..\\etc\\passwd".replaceAll("\\", "/"), `${s.directory}/../../etc/passwd`, "./../" + path.basename(s.directory) + "/../../etc/passwd"]
    for (const p of escapes) {
      const r = await read(p)
      expect({ p, status: r.status }).toEqual({ p, status: 403 })
      expect((await list(p)).status).toBe(403)
    }
  })

  test("odd spellings inside the project are 4xx, never a crash or a read elsewhere", async () => {
    expect((await read("a.txt\0.png")).status).toBe(400)
    expect((await read("..\\..\\etc\\passwd")).status).toBe(404)
    expect((await read("~/.bashrc")).status).toBe(404)
    expect((await read("file:///etc/passwd")).status).toBe(404)
    expect((await read("a".repeat(4000))).status).toBeOneOf([400, 404])
    expect((await read("a/".repeat(2000))).status).toBeOneOf([400, 404])
    expect(await (await read("./a.txt")).json()).toEqual({ type: "text", content: "inside" })
    fs.writeFileSync(path.join(s.directory, "..notes"), "dots")
    expect(await (await read("..notes")).json()).toEqual({ type: "text", content: "dots" })
  })

  // Reading a named pipe blocks until a writer appears: in a synchronous read that is the whole
  // server, in an async one a worker thread per request.
  test("a named pipe in the project is refused, and the server keeps answering", async () => {
    const fifo = path.join(s.directory, "pipe")
    Bun.spawnSync(["mkfifo", fifo])
    const r = await Promise.race([read("pipe"), Bun.sleep(3000).then(() => undefined)])
    expect(r?.status).toBe(400)
    expect((await r!.json()).data.message).toContain("not a regular file")
    expect((await s.fetch("/global/health")).status).toBe(200)
  })
})

describe("the read tool", () => {
  test("refuses a path through a symlinked directory without the external_directory permission", async () => {
    const project = tmpdir("conf-")
    fs.symlinkSync("/etc", path.join(project, "etc-link"))
    const { ctx, asks } = await toolContext(project)
    await expect(readTool.execute({ filePath: "etc-link/hostname" }, ctx)).rejects.toThrow()
    expect(asks.map((a) => a.type)).toEqual(["external_directory"])
  })
})

describe("prompt file parts", () => {
  let h: Harness
  let sessionID: string
  beforeAll(async () => {
    h = await startHarness()
    sessionID = (await h.server.client.session.create({ body: {} })).data!.id
    fs.symlinkSync("/etc", path.join(h.server.directory, "etc-link"))
  })
  afterAll(async () => {
    await h.server.stop()
    await h.llm.stop()
  })
  const attach = (url: string) =>
    h.server.fetch(`/session/${sessionID}/message`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ noReply: true, parts: [{ type: "file", mime: "text/plain", url }] }),
    })

  test("paths and file:// URLs outside the project are refused", async () => {
    const dir = h.server.directory
    const urls = ["file:///etc/passwd", "/etc/passwd", "../../../etc/passwd", "etc-link/passwd", "file:///etc/%2e%2e/etc/passwd", `file://${dir}/../../etc/passwd`, `file://${dir}/%2e%2e/%2e%2e/etc/passwd`]
    for (const url of urls) {
      const r = await attach(url)
      expect({ url, status: r.status }).toEqual({ url, status: 403 })
    }
    expect((await attach("file://evil.example/etc/passwd")).status).toBe(400)
  })

  test("a folder the config names as a reference is readable; its neighbours are not", async () => {
    const docs = tmpdir("ref-docs-")
    fs.writeFileSync(path.join(docs, "guide.md"), "reference text\n")
    const secret = tmpdir("ref-other-")
    fs.writeFileSync(path.join(secret, "x.md"), "no\n")
    const project = projectFor(h.llm, { extra: { references: { docs } } })
    const c = h.server.sdk(project)
    const s = (await c.session.create({ body: {} })).data!
    const send = (url: string) =>
      h.server.fetch(`/session/${s.id}/message?directory=${encodeURIComponent(project)}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ noReply: true, parts: [{ type: "file", mime: "text/plain", url }] }),
      })
    expect((await send(path.join(docs, "guide.md"))).status).toBe(200)
    expect((await send(path.join(secret, "x.md"))).status).toBe(403)
  })

  test("a named pipe is refused at once instead of freezing the server", async () => {
    Bun.spawnSync(["mkfifo", path.join(h.server.directory, "part-pipe")])
    const r = await Promise.race([attach("part-pipe"), Bun.sleep(3000).then(() => undefined)])
    expect(r?.status).toBe(400)
    expect((await h.server.fetch("/global/health")).status).toBe(200)
  })
})
