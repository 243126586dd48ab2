import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { gitRepo, gitIn, tmpdir } from "../helpers/tmp"

let s: TestServer
let repo: string
let outside: string
beforeAll(async () => {
  repo = await gitRepo({
    "README.md": "hello\n",
    "src/a.ts": "export const a = 1\nexport const b = 2\nexport const c = 3\n",
    "src/gone.ts": "one\ntwo\n",
    ".gitignore": "dist/\n*.log\n",
    "sub/.gitignore": "local.txt\n",
  })
  fs.mkdirSync(path.join(repo, "dist"))
  fs.writeFileSync(path.join(repo, "dist/out.js"), "x")
  fs.writeFileSync(path.join(repo, "debug.log"), "x")
  fs.writeFileSync(path.join(repo, "sub/local.txt"), "x")
  fs.writeFileSync(path.join(repo, "sub/kept.txt"), "x")
  outside = tmpdir("outside-")
  fs.writeFileSync(path.join(outside, "secret.txt"), "top secret\n")
  fs.symlinkSync(outside, path.join(repo, "escape"))
  fs.symlinkSync(path.join(outside, "secret.txt"), path.join(repo, "secret-link.txt"))
  s = await startTestServer({ directory: repo })
})
afterAll(() => s.stop())

describe("file.list", () => {
  test("lists one directory, directories first, flags ignored entries, hides .git", async () => {
    const { data, error } = await s.client.file.list({ query: { path: "" } })
    expect(error).toBeUndefined()
    const names = data!.map((n) => n.name)
    expect(names).not.toContain(".git")
    expect(data![0].type).toBe("directory")
    const byName = Object.fromEntries(data!.map((n) => [n.name, n]))
    expect(byName["dist"]).toMatchObject({ type: "directory", ignored: true, path: "dist", absolute: path.join(repo, "dist") })
    expect(byName["debug.log"].ignored).toBe(true)
    expect(byName["README.md"]).toMatchObject({ type: "file", ignored: false })
    expect(byName["src"].ignored).toBe(false)
  })

  test("nested .gitignore rules apply to their directory", async () => {
    const { data } = await s.client.file.list({ query: { path: "sub" } })
    const byName = Object.fromEntries(data!.map((n) => [n.name, n]))
    expect(byName["local.txt"]).toMatchObject({ ignored: true, path: path.join("sub", "local.txt") })
    expect(byName["kept.txt"].ignored).toBe(false)
  })

  test("refuses ../, absolute paths elsewhere and symlink escapes with 403", async () => {
    for (const p of ["..", "../", outside, "escape", "escape/"]) {
      const r = await s.fetch(`/file?path=${encodeURIComponent(p)}&directory=${encodeURIComponent(repo)}`)
      expect(r.status).toBe(403)
      expect((await r.json()).name).toBe("ForbiddenError")
    }
  })

  test("a missing directory is 404, a file is 400", async () => {
    expect((await s.client.file.list({ query: { path: "nope" } })).response.status).toBe(404)
    expect((await s.client.file.list({ query: { path: "README.md" } })).response.status).toBe(400)
  })
})

describe("file.read", () => {
  test("text content, exactly as on disk", async () => {
    const { data } = await s.client.file.read({ query: { path: "README.md" } })
    expect(data).toEqual({ type: "text", content: "hello\n" })
  })

  test("a modified tracked file carries its unified diff and structured patch against HEAD", async () => {
    fs.writeFileSync(path.join(repo, "src/a.ts"), "export const a = 1\nexport const b = 42\nexport const c = 3\n")
    const { data } = await s.client.file.read({ query: { path: "src/a.ts" } })
    expect(data!.type).toBe("text")
    expect(data!.diff).toContain("-export const b = 2")
    expect(data!.diff).toContain("+export const b = 42")
    expect(data!.patch!.oldFileName).toBe("src/a.ts")
    const lines = data!.patch!.hunks.flatMap((h) => h.lines)
    expect(lines).toContain("-export const b = 2")
    expect(lines).toContain("+export const b = 42")
    expect(lines).toContain(" export const a = 1")
  })

  test("a file from a subdirectory instance is diffed too", async () => {
    const { data } = await s.sdk(path.join(repo, "src")).file.read({ query: { path: "a.ts" } })
    expect(data!.diff).toContain("+export const b = 42")
  })

  test("untracked and unmodified files have no diff", async () => {
    fs.writeFileSync(path.join(repo, "new.txt"), "fresh\n")
    expect((await s.client.file.read({ query: { path: "new.txt" } })).data).toEqual({ type: "text", content: "fresh\n" })
    expect((await s.client.file.read({ query: { path: "README.md" } })).data!.diff).toBeUndefined()
  })

  test("binary files come as base64 with their mime type", async () => {
    const bytes = Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10])
    fs.writeFileSync(path.join(repo, "blob.bin"), bytes)
    const { data } = await s.client.file.read({ query: { path: "blob.bin" } })
    expect(data).toMatchObject({ type: "binary", encoding: "base64", mimeType: "application/octet-stream" })
    expect(Buffer.from(data!.content, "base64").equals(bytes)).toBe(true)
  })

  test("images come as base64 with an image mime type", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex")
    fs.writeFileSync(path.join(repo, "pic.png"), png)
    const { data } = await s.client.file.read({ query: { path: "pic.png" } })
    expect(data).toMatchObject({ encoding: "base64", mimeType: "image/png" })
    expect(Buffer.from(data!.content, "base64").equals(png)).toBe(true)
  })

  test("refuses ../, absolute paths elsewhere and symlink escapes with 403, reading nothing", async () => {
    for (const p of ["../" + path.basename(outside) + "/secret.txt", path.join(outside, "secret.txt"), "escape/secret.txt", "secret-link.txt", "/etc/passwd"]) {
      const r = await s.client.file.read({ query: { path: p } })
      expect(r.response.status).toBe(403)
      expect((r.error as any).name).toBe("ForbiddenError")
      expect(JSON.stringify(r.error)).not.toContain("top secret")
    }
  })

  test("an absolute path inside the project is fine", async () => {
    const { data } = await s.client.file.read({ query: { path: path.join(repo, "README.md") } })
    expect(data!.content).toBe("hello\n")
  })

  test("a missing file is 404", async () => {
    const r = await s.client.file.read({ query: { path: "missing.txt" } })
    expect(r.response.status).toBe(404)
    expect((r.error as any).name).toBe("NotFoundError")
  })
})

describe("file.status", () => {
  test("modified, deleted, staged-new and untracked files with line counts", async () => {
    const dir = await gitRepo({ "keep.txt": "1\n2\n3\n", "drop.txt": "a\nb\n", "ignored/.gitkeep": "" })
    fs.writeFileSync(path.join(dir, ".gitignore"), "ignored/\n")
    fs.writeFileSync(path.join(dir, "keep.txt"), "1\ntwo\n3\n4\n")
    fs.rmSync(path.join(dir, "drop.txt"))
    fs.writeFileSync(path.join(dir, "staged.txt"), "s\n")
    await gitIn(dir, "add", "staged.txt")
    fs.writeFileSync(path.join(dir, "untracked.txt"), "u1\nu2\nu3")
    fs.writeFileSync(path.join(dir, "ignored/x.txt"), "no\n")
    const { data } = await s.sdk(dir).file.status()
    const byPath = Object.fromEntries(data!.map((f) => [f.path, f]))
    expect(byPath["keep.txt"]).toEqual({ path: "keep.txt", added: 2, removed: 1, status: "modified" })
    expect(byPath["drop.txt"]).toEqual({ path: "drop.txt", added: 0, removed: 2, status: "deleted" })
    expect(byPath["staged.txt"]).toEqual({ path: "staged.txt", added: 1, removed: 0, status: "added" })
    expect(byPath["untracked.txt"]).toEqual({ path: "untracked.txt", added: 3, removed: 0, status: "added" })
    expect(byPath[".gitignore"]).toMatchObject({ status: "added", added: 1 })
    expect(byPath["ignored/x.txt"]).toBeUndefined()
    expect(data!.length).toBe(5)
  })

  test("a repository without commits reports its files as added", async () => {
    const dir = tmpdir("nocommit-")
    await gitIn(dir, "init", "-q")
    fs.writeFileSync(path.join(dir, "a.txt"), "x\ny\n")
    const { data } = await s.sdk(dir).file.status()
    expect(data).toEqual([{ path: "a.txt", added: 2, removed: 0, status: "added" }])
  })

  test("outside git it is empty", async () => {
    const { data } = await s.sdk(tmpdir()).file.status()
    expect(data).toEqual([])
  })
})
