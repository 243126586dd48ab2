import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { gitRepo, tmpTree } from "../helpers/tmp"
import { toolContext } from "./harness"
import { listTool } from "../../src/tool/list"

const project = (files: Record<string, string>) => tmpTree(files, "list-")

describe("list", () => {
  test("draws a tree without dependency folders or ignored files", async () => {
    const dir = await gitRepo({
      ".gitignore": "secret/\n",
      "src/index.ts": "",
      "src/util/a.ts": "",
      "README.md": "",
      "node_modules/pkg/index.js": "",
      "secret/key": "",
      "notes.log": "",
    })
    const { ctx } = await toolContext(dir)
    const r = await listTool.execute({}, ctx)
    expect(r.output).toBe(
      [`${dir}/`, "  src/", "    util/", "      a.ts", "    index.ts", "  .gitignore", "  notes.log", "  README.md"].join("\n"),
    )
    const fewer = await listTool.execute({ path: "src", ignore: ["util/"] }, ctx)
    expect(fewer.output).toBe([`${path.join(dir, "src")}/`, "  index.ts"].join("\n"))
  })

  test("stops at the cap level by level, so the top level is complete", async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 30; i++) for (let j = 0; j < 10; j++) files[`d${String(i).padStart(2, "0")}/f${j}.txt`] = ""
    files["top.txt"] = ""
    const { ctx } = await toolContext(project(files))
    const r = await listTool.execute({}, ctx)
    expect(r.metadata).toMatchObject({ count: 200, truncated: true })
    for (let i = 0; i < 30; i++) expect(r.output).toContain(`  d${String(i).padStart(2, "0")}/`)
    expect(r.output).toContain("  top.txt")
    expect(r.output).toContain("(Stopped at 200 entries.")
  })

  test("a symlink is listed as a file and never followed", async () => {
    const dir = project({ "real/inner.txt": "" })
    fs.symlinkSync(path.join(dir, "real"), path.join(dir, "link"))
    const { ctx } = await toolContext(dir)
    const r = await listTool.execute({}, ctx)
    expect(r.output).toBe([`${dir}/`, "  real/", "    inner.txt", "  link"].join("\n"))
  })

  test("a missing directory is an error", async () => {
    const { ctx } = await toolContext(project({}))
    await expect(listTool.execute({ path: "nope" }, ctx)).rejects.toThrow(/not a directory/)
  })
})
