import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { tmpdir } from "../helpers/tmp"
import { toolContext } from "./harness"
import { globTool } from "../../src/tool/glob"
import { grepTool } from "../../src/tool/grep"
import { grepWithWalker } from "../../src/tool/grep-search"
import { walk } from "../../src/tool/walk"
import { ripgrepPath } from "../../src/tool/ripgrep"
import { ToolError } from "../../src/tool/tool"

function project(files: Record<string, string>) {
  const dir = tmpdir("search-")
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  return dir
}

function age(dir: string, file: string, secondsAgo: number) {
  const t = new Date(Date.now() - secondsAgo * 1000)
  fs.utimesSync(path.join(dir, file), t, t)
}

const FILES = {
  ".gitignore": "ignored/\n*.log\n",
  "src/old.ts": "export const hello = 1\n",
  "src/new.ts": "// hello again\nconst x = hello\n",
  "src/deep/more.ts": "nothing here\n",
  "README.md": "hello readme\n",
  "ignored/skip.ts": "hello hidden\n",
  "debug.log": "hello log\n",
  ".config/tool.ts": "hello dotfile\n",
}

describe("glob", () => {
  test("matches by pattern, skips .gitignored files, newest first", async () => {
    const dir = project(FILES)
    age(dir, "src/old.ts", 100)
    age(dir, "src/new.ts", 10)
    age(dir, "src/deep/more.ts", 50)
    const { ctx } = await toolContext(dir)
    const r = await globTool.execute({ pattern: "**/*.ts" }, ctx)
    const lines = r.output.split("\n")
    expect(lines.slice(0, 3)).toEqual([path.join(dir, ".config/tool.ts"), path.join(dir, "src/new.ts"), path.join(dir, "src/deep/more.ts")])
    expect(lines).toContain(path.join(dir, "src/old.ts"))
    expect(r.output).not.toContain("skip.ts")
    // A pattern without "/" matches names at any depth; gitignored names stay hidden.
    expect((await globTool.execute({ pattern: "*.log" }, ctx)).output).toBe("No files found.")
    const inSrc = await globTool.execute({ pattern: "*.ts", path: "src/deep" }, ctx)
    expect(inSrc.output).toBe(path.join(dir, "src/deep/more.ts"))
  })

  test("caps the list and says so", async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 130; i++) files[`many/f${i}.txt`] = "x"
    const { ctx } = await toolContext(project(files))
    const r = await globTool.execute({ pattern: "many/*.txt" }, ctx)
    expect(r.output.split("\n").filter((l) => l.startsWith("/"))).toHaveLength(100)
    expect(r.output).toContain("Showing the 100 most recently modified of 130 matches")
    expect(r.metadata?.truncated).toBe(true)
  })
})

describe("grep", () => {
  test("groups matches by file with line numbers, skipping ignored files", async () => {
    const dir = project(FILES)
    age(dir, "src/old.ts", 100)
    age(dir, "README.md", 200)
    const { ctx } = await toolContext(dir)
    const r = await grepTool.execute({ pattern: "hel+o" }, ctx)
    expect(r.output).toStartWith("Found 5 matches in 4 files.")
    expect(r.output).toContain(`${path.join(dir, "src/new.ts")}:\n  Line 1: // hello again\n  Line 2: const x = hello`)
    expect(r.output.indexOf("old.ts")).toBeLessThan(r.output.indexOf("README.md"))
    expect(r.output).not.toContain("hidden")
    expect(r.output).not.toContain("hello log")
    const onlyTs = await grepTool.execute({ pattern: "hello", include: "*.ts", path: "src" }, ctx)
    expect(onlyTs.output).toStartWith("Found 3 matches in 2 files.")
    expect((await grepTool.execute({ pattern: "zzz_absent" }, ctx)).output).toBe("No matches found.")
  })

  test("an invalid regex is a clear error", async () => {
    const { ctx } = await toolContext(project(FILES))
    const err = await grepTool.execute({ pattern: "hel(lo" }, ctx).catch((e) => e)
    expect(err).toBeInstanceOf(ToolError)
    expect(err.message).toStartWith("Invalid regular expression")
  })

  test("caps the matches shown", async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `match ${i + 1}`).join("\n")
    const { ctx } = await toolContext(project({ "a.txt": lines, "b.txt": "match b" }))
    const r = await grepTool.execute({ pattern: "^match" }, ctx)
    expect(r.output).toStartWith("Found 151 matches in 2 files.")
    expect(r.output.match(/  Line \d+:/g)).toHaveLength(100)
    expect(r.output).toContain("(Showing the first 100.")
  })

  test("uses a ripgrep binary here", async () => {
    expect(await ripgrepPath()).toBeString()
  })
})

describe("built-in walker (used when no rg can run)", () => {
  test("honours nested .gitignore files, negations and those above the start directory", async () => {
    const dir = project({
      ".gitignore": "*.tmp\nbuild/\n",
      "pkg/.gitignore": "secret.txt\n!keep.tmp\n",
      "pkg/a.txt": "a",
      "pkg/secret.txt": "s",
      "pkg/keep.tmp": "k",
      "pkg/drop.tmp": "d",
      "pkg/build/out.js": "o",
      ".hidden/h.txt": "h",
    })
    fs.mkdirSync(path.join(dir, ".git"))
    fs.writeFileSync(path.join(dir, ".git/HEAD"), "x")
    const all: string[] = []
    for await (const e of walk(dir)) all.push(e.rel)
    expect(all.sort()).toEqual([".gitignore", ".hidden/h.txt", "pkg/.gitignore", "pkg/a.txt", "pkg/keep.tmp"])
    const fromPkg: string[] = []
    for await (const e of walk(path.join(dir, "pkg"), { top: dir })) fromPkg.push(e.rel)
    expect(fromPkg.sort()).toEqual([".gitignore", "a.txt", "keep.tmp"])
  })

  test("greps with the same results and errors as ripgrep", async () => {
    const dir = project(FILES)
    const found = await grepWithWalker(dir, "hel+o", { max: 100 })
    expect(found.matches.map((m) => `${path.relative(dir, m.file)}:${m.line}`).sort()).toEqual(
      [".config/tool.ts:1", "README.md:1", "src/new.ts:1", "src/new.ts:2", "src/old.ts:1"],
    )
    const ts = await grepWithWalker(dir, "hello", { max: 100, include: "*.ts" })
    expect(ts.matches).toHaveLength(4)
    await expect(grepWithWalker(dir, "hel(lo", { max: 10 })).rejects.toThrow(/Invalid regular expression/)
  })
})
