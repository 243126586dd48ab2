import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { PermissionDeniedError, ToolError } from "../../src/tool/tool"
import { multieditTool } from "../../src/tool/multiedit"
import { tmpdir } from "../helpers/tmp"
import { gatedContext } from "./harness"

async function setup(content: string | undefined, permission?: Record<string, unknown>) {
  const dir = tmpdir("multiedit-")
  const file = path.join(dir, "src", "a.ts")
  if (content !== undefined) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, content)
  }
  const { ctx, asked } = await gatedContext(dir, { permission, sessionID: "ses_multiedit" })
  return {
    dir,
    file,
    asked,
    read: () => fs.readFileSync(file, "utf8"),
    run: (edits: Array<{ oldString: string; newString: string; replaceAll?: boolean }>, filePath = "src/a.ts") => multieditTool.execute({ filePath, edits }, ctx),
  }
}

const fails = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a failure") }, (e) => e as Error)

describe("multiedit", () => {
  test("applies edits in order, each on the previous result, with one permission ask", async () => {
    const s = await setup("const a = 1\nconst b = a + a\nlog(a)\n")
    const r = await s.run([
      { oldString: "const a = 1", newString: "const x = 1" },
      { oldString: "a + a", newString: "x + x" },
      { oldString: "log(a)", newString: "log(x)" },
      { oldString: "x", newString: "y", replaceAll: true },
    ])
    expect(s.read()).toBe("const y = 1\nconst b = y + y\nlog(y)\n")
    expect(r.output).toBe("Edited src/a.ts: 4 edits, 7 replacements.")
    expect(s.asked).toHaveLength(1)
    expect(s.asked[0]).toMatchObject({ type: "edit", pattern: "src/a.ts" })
    expect(String(s.asked[0].metadata?.diff)).toContain("-const a = 1")
    expect((r.metadata as any).filediff).toMatchObject({ additions: 3, deletions: 3 })
  })

  test("all or nothing: a failing edit leaves the file untouched and names itself", async () => {
    const s = await setup("one\ntwo\ntwo\n")
    const missing = await fails(s.run([{ oldString: "one", newString: "ONE" }, { oldString: "three", newString: "3" }]))
    expect(missing).toBeInstanceOf(ToolError)
    expect(missing.message).toContain("Edit 2 of 2 failed, so no edit was applied")
    expect(missing.message).toContain("not found")
    const ambiguous = await fails(s.run([{ oldString: "two", newString: "TWO" }]))
    expect(ambiguous.message).toContain("matches 2 places")
    const same = await fails(s.run([{ oldString: "one", newString: "one" }]))
    expect(same.message).toContain("identical")
    expect(s.read()).toBe("one\ntwo\ntwo\n")
    expect(s.asked).toEqual([])
  })

  test("a later edit sees the earlier one's result", async () => {
    const s = await setup("alpha\n")
    await s.run([{ oldString: "alpha", newString: "beta" }, { oldString: "beta", newString: "gamma" }])
    expect(s.read()).toBe("gamma\n")
  })

  test("creates a file with an empty first oldString; refuses it on a file with content", async () => {
    const s = await setup(undefined)
    await s.run([{ oldString: "", newString: "export const v = 1\n" }, { oldString: "1", newString: "2" }])
    expect(s.read()).toBe("export const v = 2\n")
    expect((await fails(s.run([{ oldString: "", newString: "x" }]))).message).toContain("only creates a new file")
    expect((await fails(s.run([{ oldString: "q", newString: "r" }], "src/nope.ts"))).message).toContain("File not found")
  })

  test("CRLF files match edits written with \\n", async () => {
    const s = await setup("a\r\nb\r\nc\r\n")
    await s.run([{ oldString: "a\nb", newString: "A\nB" }])
    expect(s.read()).toBe("A\r\nB\r\nc\r\n")
  })

  test("denied edits and paths outside the project write nothing", async () => {
    const s = await setup("x\n", { edit: "deny" })
    expect(await fails(s.run([{ oldString: "x", newString: "y" }]))).toBeInstanceOf(PermissionDeniedError)
    expect(s.read()).toBe("x\n")
    const outside = await setup("x\n", { external_directory: "deny" })
    const target = path.join(path.dirname(outside.dir), "escape-" + path.basename(outside.dir) + ".ts")
    expect(await fails(outside.run([{ oldString: "", newString: "pwned" }], target))).toBeInstanceOf(PermissionDeniedError)
    expect(fs.existsSync(target)).toBe(false)
  })
})
