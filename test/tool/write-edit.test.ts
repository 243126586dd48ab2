import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { tmpTree } from "../helpers/tmp"
import { toolContext } from "./harness"
import { writeTool } from "../../src/tool/write"
import { editTool } from "../../src/tool/edit"
import { readTool } from "../../src/tool/read"
import { PermissionDeniedError } from "../../src/tool/tool"
import { Bus } from "../../src/bus"

const project = (files: Record<string, string> = {}) => tmpTree(files, "edit-")

function edited(dir: string) {
  const files: string[] = []
  const stop = Bus.subscribe((e) => {
    if (e.directory === dir && e.payload.type === "file.edited") files.push((e.payload.properties as { file: string }).file)
  })
  return { files, stop }
}

describe("write", () => {
  test("creates missing directories, asks the edit gate with the diff, announces file.edited", async () => {
    const dir = project()
    const { ctx, asks } = await toolContext(dir)
    const events = edited(dir)
    const r = await writeTool.execute({ filePath: "a/b/c.txt", content: "hello\nworld\n" }, ctx)
    events.stop()
    expect(fs.readFileSync(path.join(dir, "a/b/c.txt"), "utf8")).toBe("hello\nworld\n")
    expect(r.output).toContain("Created a/b/c.txt (2 lines)")
    expect(asks).toHaveLength(1)
    expect(asks[0]).toMatchObject({ type: "edit", pattern: "a/b/c.txt" })
    expect(String(asks[0].metadata?.diff)).toContain("+hello")
    expect(events.files).toEqual([path.join(dir, "a/b/c.txt")])
  })

  test("a refused edit permission leaves the disk untouched", async () => {
    const dir = project({ "keep.txt": "original" })
    const { ctx } = await toolContext(dir, { deny: ["edit"] })
    await expect(writeTool.execute({ filePath: "keep.txt", content: "changed" }, ctx)).rejects.toThrow(PermissionDeniedError)
    await expect(writeTool.execute({ filePath: "new/file.txt", content: "x" }, ctx)).rejects.toThrow(PermissionDeniedError)
    expect(fs.readFileSync(path.join(dir, "keep.txt"), "utf8")).toBe("original")
    expect(fs.existsSync(path.join(dir, "new"))).toBe(false)
  })

  test("refuses to overwrite a file that changed since it was read", async () => {
    const dir = project({ "f.txt": "v1" })
    const { ctx } = await toolContext(dir)
    await readTool.execute({ filePath: "f.txt" }, ctx)
    const later = new Date(Date.now() + 5000)
    fs.writeFileSync(path.join(dir, "f.txt"), "v2 by someone else")
    fs.utimesSync(path.join(dir, "f.txt"), later, later)
    await expect(writeTool.execute({ filePath: "f.txt", content: "v3" }, ctx)).rejects.toThrow(/modified since you last read it/)
    await readTool.execute({ filePath: "f.txt" }, ctx)
    await writeTool.execute({ filePath: "f.txt", content: "v3" }, ctx)
    expect(fs.readFileSync(path.join(dir, "f.txt"), "utf8")).toBe("v3")
  })

  test("a symlinked directory leading outside is refused before anything is written", async () => {
    const outside = project()
    const dir = project()
    fs.symlinkSync(outside, path.join(dir, "out"))
    const { ctx, asks } = await toolContext(dir)
    await expect(writeTool.execute({ filePath: "out/evil.txt", content: "x" }, ctx)).rejects.toThrow(PermissionDeniedError)
    expect(asks.map((a) => a.type)).toEqual(["external_directory"])
    expect(fs.existsSync(path.join(outside, "evil.txt"))).toBe(false)
  })
})

describe("edit", () => {
  test("replaces one exact occurrence and returns a unified diff", async () => {
    const dir = project({ "src/app.ts": "const a = 1\nconst b = 2\n" })
    const { ctx, asks } = await toolContext(dir)
    const r = await editTool.execute({ filePath: "src/app.ts", oldString: "const b = 2", newString: "const b = 3 // $& stays literal" }, ctx)
    expect(fs.readFileSync(path.join(dir, "src/app.ts"), "utf8")).toBe("const a = 1\nconst b = 3 // $& stays literal\n")
    expect(r.output).toContain("1 replacement")
    const diff = String(r.metadata?.diff)
    expect(diff).toContain("-const b = 2")
    expect(diff).toContain("+const b = 3")
    expect(r.metadata?.filediff).toMatchObject({ file: "src/app.ts", additions: 1, deletions: 1 })
    expect(asks[0]).toMatchObject({ type: "edit", pattern: "src/app.ts" })
    expect(String(asks[0].metadata?.diff)).toBe(diff)
  })

  test("an ambiguous oldString is refused with the matching lines; replaceAll changes all", async () => {
    const dir = project({ "x.txt": "foo\nbar\nfoo\n" })
    const { ctx } = await toolContext(dir)
    await expect(editTool.execute({ filePath: "x.txt", oldString: "foo", newString: "baz" }, ctx)).rejects.toThrow(
      /matches 2 places \(lines 1, 3\).*replaceAll/,
    )
    expect(fs.readFileSync(path.join(dir, "x.txt"), "utf8")).toBe("foo\nbar\nfoo\n")
    const r = await editTool.execute({ filePath: "x.txt", oldString: "foo", newString: "baz", replaceAll: true }, ctx)
    expect(r.metadata?.replacements).toBe(2)
    expect(fs.readFileSync(path.join(dir, "x.txt"), "utf8")).toBe("baz\nbar\nbaz\n")
  })

  test("missing text is refused with a hint", async () => {
    const dir = project({ "y.py": "def f():\n    return 1\n" })
    const { ctx } = await toolContext(dir)
    await expect(editTool.execute({ filePath: "y.py", oldString: "nope", newString: "x" }, ctx)).rejects.toThrow(/not found.*copy the text exactly/)
    await expect(editTool.execute({ filePath: "y.py", oldString: "def f():\n  return 1", newString: "x" }, ctx)).rejects.toThrow(
      /Lines 1-2 match it except for whitespace/,
    )
    await expect(editTool.execute({ filePath: "y.py", oldString: "     2\t    return 1", newString: "x" }, ctx)).rejects.toThrow(/line numbers/)
    await expect(editTool.execute({ filePath: "y.py", oldString: "same", newString: "same" }, ctx)).rejects.toThrow(/identical/)
    await expect(editTool.execute({ filePath: "nope.py", oldString: "a", newString: "b" }, ctx)).rejects.toThrow(/File not found/)
    expect(fs.readFileSync(path.join(dir, "y.py"), "utf8")).toBe("def f():\n    return 1\n")
  })

  test("an empty oldString creates a new file but never clobbers one", async () => {
    const dir = project({ "has.txt": "content" })
    const { ctx } = await toolContext(dir)
    await editTool.execute({ filePath: "deep/new.txt", oldString: "", newString: "fresh\n" }, ctx)
    expect(fs.readFileSync(path.join(dir, "deep/new.txt"), "utf8")).toBe("fresh\n")
    await expect(editTool.execute({ filePath: "has.txt", oldString: "", newString: "x" }, ctx)).rejects.toThrow(/already has content/)
    expect(fs.readFileSync(path.join(dir, "has.txt"), "utf8")).toBe("content")
  })

  test("CRLF files match a \\n oldString and keep their line endings", async () => {
    const dir = project({ "win.txt": "one\r\ntwo\r\nthree\r\n" })
    const { ctx } = await toolContext(dir)
    await editTool.execute({ filePath: "win.txt", oldString: "one\ntwo", newString: "uno\ndos" }, ctx)
    expect(fs.readFileSync(path.join(dir, "win.txt"), "utf8")).toBe("uno\r\ndos\r\nthree\r\n")
  })

  test("edits outside the project need external_directory, then the edit gate", async () => {
    const outside = project({ "o.txt": "old" })
    const dir = project()
    const denied = await toolContext(dir)
    await expect(editTool.execute({ filePath: path.join(outside, "o.txt"), oldString: "old", newString: "new" }, denied.ctx)).rejects.toThrow(
      PermissionDeniedError,
    )
    expect(fs.readFileSync(path.join(outside, "o.txt"), "utf8")).toBe("old")
    const allowed = await toolContext(dir, { deny: [] })
    await editTool.execute({ filePath: path.join(outside, "o.txt"), oldString: "old", newString: "new" }, allowed.ctx)
    expect(allowed.asks.map((a) => a.type)).toEqual(["external_directory", "edit"])
    expect(fs.readFileSync(path.join(outside, "o.txt"), "utf8")).toBe("new")
  })
})
