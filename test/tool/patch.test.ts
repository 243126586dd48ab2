import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { PermissionDeniedError, ToolError } from "../../src/tool/tool"
import { patchTool } from "../../src/tool/patch"
import { tmpdir, writeTree } from "../helpers/tmp"
import { gatedContext } from "./harness"

type Files = Record<string, string>

async function project(files: Files, permission?: Record<string, unknown>) {
  const dir = path.join(tmpdir("patch-"), "proj")
  fs.mkdirSync(dir, { recursive: true })
  writeTree(dir, files)
  const { ctx, asked } = await gatedContext(dir, { permission, sessionID: "ses_patch" })
  const read = (rel: string) => (fs.existsSync(path.join(dir, rel)) ? fs.readFileSync(path.join(dir, rel), "utf8") : undefined)
  return { dir, ctx, asked, read, apply: (patchText: string) => patchTool.execute({ patchText }, ctx) }
}

const fails = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a failure") }, (e) => e as Error)

describe("patch (*** Begin Patch format)", () => {
  test("adds, updates, moves and deletes files in one call, asking edit per file", async () => {
    const p = await project({
      "src/app.ts": "import x from 'x'\n\nfunction start() {\n  const port = 3000\n  listen(port)\n}\n\nfunction stop() {\n  const port = 3000\n}\n",
      "src/old.ts": "export const a = 1\n",
      "src/gone.ts": "bye\n",
    })
    const r = await p.apply(`*** Begin Patch
*** Add File: src/new.ts
+export const created = true
*** Update File: src/app.ts
@@ function stop() {
-  const port = 3000
+  const port = 4000
*** Update File: src/old.ts
*** Move to: src/renamed.ts
@@
-export const a = 1
+export const a = 2
*** Delete File: src/gone.ts
*** End Patch`)
    expect(p.read("src/new.ts")).toBe("export const created = true\n")
    // The @@ anchor picked the second `const port`, not the first.
    expect(p.read("src/app.ts")).toBe("import x from 'x'\n\nfunction start() {\n  const port = 3000\n  listen(port)\n}\n\nfunction stop() {\n  const port = 4000\n}\n")
    expect(p.read("src/old.ts")).toBeUndefined()
    expect(p.read("src/renamed.ts")).toBe("export const a = 2\n")
    expect(p.read("src/gone.ts")).toBeUndefined()
    expect(r.output).toContain("A src/new.ts")
    expect(r.output).toContain("D src/gone.ts")
    expect(p.asked.map((a) => `${a.type} ${a.pattern}`).sort()).toEqual(["edit src/app.ts", "edit src/gone.ts", "edit src/new.ts", "edit src/old.ts", "edit src/renamed.ts"])
    expect((r.metadata as any).files).toHaveLength(5)
  })

  test("context lines tolerate trailing whitespace and keep CRLF and a missing final newline", async () => {
    const p = await project({ "a.txt": "one\r\ntwo  \r\nthree" })
    await p.apply("*** Begin Patch\n*** Update File: a.txt\n@@\n one\n two\n-three\n+THREE\n*** End of File\n*** End Patch\n")
    expect(p.read("a.txt")).toBe("one\r\ntwo  \r\nTHREE")
  })

  test("all or nothing: one bad hunk and no file is written", async () => {
    const p = await project({ "a.ts": "a\n", "b.ts": "b\n" })
    const e = await fails(p.apply(`*** Begin Patch
*** Update File: a.ts
-a
+A
*** Add File: c.ts
+c
*** Update File: b.ts
-not there
+B
*** End Patch`))
    expect(e).toBeInstanceOf(ToolError)
    expect(e.message).toContain("hunk 1 of b.ts")
    expect(e.message).toContain("not there")
    expect(p.read("a.ts")).toBe("a\n")
    expect(p.read("c.ts")).toBeUndefined()
    expect(p.asked).toEqual([])
  })

  test("refuses adding an existing file, changing a missing one, and malformed patches", async () => {
    const p = await project({ "a.ts": "a\n" })
    expect((await fails(p.apply("*** Begin Patch\n*** Add File: a.ts\n+x\n*** End Patch"))).message).toContain("already exists")
    expect((await fails(p.apply("*** Begin Patch\n*** Update File: zz.ts\n-a\n+b\n*** End Patch"))).message).toContain("File not found")
    expect((await fails(p.apply("*** Begin Patch\n*** Delete File: zz.ts\n*** End Patch"))).message).toContain("Cannot delete")
    expect((await fails(p.apply("*** Begin Patch\n*** Update File: a.ts\n-a\n+b\n"))).message).toContain("*** End Patch")
    expect((await fails(p.apply("*** Begin Patch\n*** Add File: n.ts\nno plus\n*** End Patch"))).message).toContain('starts with "+"')
    expect((await fails(p.apply("just change a to b"))).message).toContain("*** Begin Patch")
    expect(p.read("a.ts")).toBe("a\n")
  })

  test("paths outside the project need external_directory; denied means nothing is written", async () => {
    const denied = await project({ "a.ts": "a\n" }, { external_directory: "deny" })
    const e = await fails(denied.apply("*** Begin Patch\n*** Add File: ../outside.txt\n+x\n*** Add File: inside.txt\n+y\n*** End Patch"))
    expect(e).toBeInstanceOf(PermissionDeniedError)
    expect(fs.existsSync(path.join(denied.dir, "..", "outside.txt"))).toBe(false)
    expect(denied.read("inside.txt")).toBeUndefined()

    const allowed = await project({}, { external_directory: "allow" })
    await allowed.apply("*** Begin Patch\n*** Add File: ../outside.txt\n+x\n*** End Patch")
    expect(fs.readFileSync(path.join(allowed.dir, "..", "outside.txt"), "utf8")).toBe("x\n")
  })

  test("an edit rule that denies one file stops the whole patch", async () => {
    const p = await project({ "a.ts": "a\n", "secret.env": "k=1\n" }, { edit: { "*": "allow", "*.env": "deny" } })
    const e = await fails(p.apply("*** Begin Patch\n*** Update File: a.ts\n-a\n+A\n*** Update File: secret.env\n-k=1\n+k=2\n*** End Patch"))
    expect(e).toBeInstanceOf(PermissionDeniedError)
    expect(p.read("a.ts")).toBe("a\n")
    expect(p.read("secret.env")).toBe("k=1\n")
  })

  test("binary files are refused", async () => {
    const p = await project({})
    fs.writeFileSync(path.join(p.dir, "b.bin"), new Uint8Array([0, 1, 2]))
    expect((await fails(p.apply("*** Begin Patch\n*** Update File: b.bin\n-x\n+y\n*** End Patch"))).message).toContain("not a UTF-8 text file")
  })
})

describe("patch (unified diff)", () => {
  test("a git diff with a/ b/ prefixes, new and deleted files", async () => {
    const p = await project({ "src/a.ts": "line1\nline2\nline3\n", "old.txt": "x\n" })
    await p.apply(`diff --git a/src/a.ts b/src/a.ts
--- a/src/a.ts
+++ b/src/a.ts
@@ -1,3 +1,3 @@
 line1
-line2
+LINE2
 line3
--- /dev/null
+++ b/new.txt
@@ -0,0 +1,2 @@
+hello
+world
--- a/old.txt
+++ /dev/null
@@ -1 +0,0 @@
-x
`)
    expect(p.read("src/a.ts")).toBe("line1\nLINE2\nline3\n")
    expect(p.read("new.txt")).toBe("hello\nworld\n")
    expect(p.read("old.txt")).toBeUndefined()
  })

  test("a hunk that does not fit changes nothing", async () => {
    const p = await project({ "a.ts": "one\ntwo\n" })
    const e = await fails(p.apply("--- a.ts\n+++ a.ts\n@@ -1,2 +1,2 @@\n one\n-three\n+THREE\n"))
    expect(e.message).toContain("does not apply")
    expect(p.read("a.ts")).toBe("one\ntwo\n")
  })
})
