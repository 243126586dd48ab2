import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { tmpTree } from "../helpers/tmp"
import { toolContext } from "./harness"
import { readTool, MAX_OUTPUT_BYTES } from "../../src/tool/read"
import { PermissionDeniedError, ToolError } from "../../src/tool/tool"

// A real 1x1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
)

const project = (files: Record<string, string | Buffer>) => tmpTree(files, "read-")

describe("read", () => {
  test("numbers lines and says where the file ends", async () => {
    const { ctx } = await toolContext(project({ "a.txt": "alpha\nbeta\r\ngamma\n" }))
    const r = await readTool.execute({ filePath: "a.txt" }, ctx)
    expect(r.output).toContain("     1\talpha\n     2\tbeta\n     3\tgamma")
    expect(r.output).toContain("(End of file: 3 lines.)")
    expect(r.title).toBe("a.txt")
  })

  test("offset and limit select a window and tell how to continue", async () => {
    const body = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n")
    const { ctx } = await toolContext(project({ "ten.txt": body }))
    const r = await readTool.execute({ filePath: "ten.txt", offset: 3, limit: 2 }, ctx)
    expect(r.output).toContain("     3\tline 3\n     4\tline 4")
    expect(r.output).not.toContain("line 5")
    expect(r.output).toContain("offset=5")
    await expect(readTool.execute({ filePath: "ten.txt", offset: 11 }, ctx)).rejects.toThrow(/past the end of the file, which has 10 lines/)
  })

  test("cuts long lines and says so", async () => {
    const { ctx } = await toolContext(project({ "long.txt": "x".repeat(5000) + "\nshort\n" }))
    const r = await readTool.execute({ filePath: "long.txt" }, ctx)
    expect(r.output).toContain("[line cut: 3000 more characters]")
    expect(r.output).toContain("     2\tshort")
    expect(r.output.length).toBeLessThan(2300)
  })

  test("caps the output size and the continuation offset reads on", async () => {
    const body = Array.from({ length: 3000 }, (_, i) => `${i + 1} ${"y".repeat(100)}`).join("\n")
    const { ctx } = await toolContext(project({ "big.txt": body }))
    const r = await readTool.execute({ filePath: "big.txt" }, ctx)
    expect(Buffer.byteLength(r.output)).toBeLessThan(MAX_OUTPUT_BYTES + 500)
    expect(r.output).toContain("Output capped at 50 KB")
    const next = Number(/offset=(\d+)/.exec(r.output)![1])
    expect(r.output).toContain(`\t${next - 1} y`)
    expect(r.output).not.toContain(`\t${next} y`)
    const more = await readTool.execute({ filePath: "big.txt", offset: next, limit: 1 }, ctx)
    expect(more.output).toContain(`\t${next} y`)
  })

  test("returns images as data: URL attachments", async () => {
    const { ctx } = await toolContext(project({ "img/dot.png": PNG, "misnamed.dat": PNG }))
    const r = await readTool.execute({ filePath: "img/dot.png" }, ctx)
    expect(r.attachments).toHaveLength(1)
    const a = r.attachments![0]
    expect(a).toMatchObject({ type: "file", mime: "image/png", filename: "dot.png" })
    expect(Buffer.from(a.url.replace("data:image/png;base64,", ""), "base64").equals(PNG)).toBe(true)
    // Recognised by its bytes, not its name.
    const m = await readTool.execute({ filePath: "misnamed.dat" }, ctx)
    expect(m.attachments?.[0].mime).toBe("image/png")
  })

  test("refuses binary files clearly", async () => {
    const { ctx } = await toolContext(project({ "blob.bin": Buffer.from([1, 2, 0, 3]), "data.txt": Buffer.from("ab\0cd") }))
    await expect(readTool.execute({ filePath: "blob.bin" }, ctx)).rejects.toThrow(/binary file/)
    const err = await readTool.execute({ filePath: "data.txt" }, ctx).catch((e) => e)
    expect(err).toBeInstanceOf(ToolError)
    expect(err.message).toContain("NUL bytes")
  })

  test("a missing file names close matches", async () => {
    const { ctx } = await toolContext(project({ "README.md": "x", "lib/util.ts": "x" }))
    await expect(readTool.execute({ filePath: "READNE.md" }, ctx)).rejects.toThrow(/File not found: READNE.md[\s\S]*README.md/)
    await expect(readTool.execute({ filePath: "src/util.ts" }, ctx)).rejects.toThrow(/Did you mean[\s\S]*lib\/util.ts/)
    await expect(readTool.execute({ filePath: "nothing-like-it.go" }, ctx)).rejects.toThrow(/^File not found: nothing-like-it.go$/)
  })

  test("a directory or an empty file gets a clear answer", async () => {
    const dir = project({ "sub/x.txt": "x", "empty.txt": "" })
    const { ctx } = await toolContext(dir)
    await expect(readTool.execute({ filePath: "sub" }, ctx)).rejects.toThrow(/is a directory.*list or glob/)
    expect((await readTool.execute({ filePath: "empty.txt" }, ctx)).output).toBe("(The file is empty.)")
  })

  test("paths outside the project ask first and read nothing when refused", async () => {
    const outside = project({ "secret.txt": "top secret" })
    const dir = project({})
    const denied = await toolContext(dir)
    const err = await readTool.execute({ filePath: path.join(outside, "secret.txt") }, denied.ctx).catch((e) => e)
    expect(err).toBeInstanceOf(PermissionDeniedError)
    expect(denied.asks).toEqual([expect.objectContaining({ type: "external_directory", pattern: path.join(outside, "*") })])
    await expect(readTool.execute({ filePath: "../" + path.basename(outside) + "/secret.txt" }, denied.ctx)).rejects.toThrow(PermissionDeniedError)

    const allowed = await toolContext(dir, { deny: [] })
    const r = await readTool.execute({ filePath: path.join(outside, "secret.txt") }, allowed.ctx)
    expect(r.output).toContain("top secret")
  })

  test("a symlink that leads out of the project is treated as outside", async () => {
    const outside = project({ "secret.txt": "top secret" })
    const dir = project({ "ok.txt": "fine" })
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(dir, "link.txt"))
    fs.symlinkSync(outside, path.join(dir, "linkdir"))
    const { ctx, asks } = await toolContext(dir)
    await expect(readTool.execute({ filePath: "link.txt" }, ctx)).rejects.toThrow(PermissionDeniedError)
    await expect(readTool.execute({ filePath: "linkdir/secret.txt" }, ctx)).rejects.toThrow(PermissionDeniedError)
    expect(asks.map((a) => a.type)).toEqual(["external_directory", "external_directory"])
    expect((await readTool.execute({ filePath: "ok.txt" }, ctx)).output).toContain("fine")
    expect(asks).toHaveLength(2)
  })
})
