import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { gitRepo, tmpTree } from "../helpers/tmp"
import { toolContext } from "./harness"
import { globTool } from "../../src/tool/glob"
import { grepTool } from "../../src/tool/grep"
import { getInstance, type Instance } from "../../src/project/instance"
import { listFiles, rgPath as ripgrepPath, searchText, type ListFilesOptions, type SearchTextOptions } from "../../src/file/search"
import { ToolError } from "../../src/tool/tool"

// The engine's two paths, with the absolute paths the tools show.
const findFiles = async (instance: Instance, root: string, opts: ListFilesOptions) => {
  const r = await listFiles(instance, root, opts)
  return { ...r, files: r.files.map((f) => path.join(root, f)) }
}
const findFilesWithWalker = (instance: Instance, root: string, opts: ListFilesOptions) => findFiles(instance, root, { ...opts, walker: true })
const grepFiles = async (instance: Instance, root: string, pattern: string, opts: SearchTextOptions) => {
  const r = await searchText(instance, root, pattern, opts)
  return { ...r, matches: r.matches.map((m) => ({ file: path.join(root, m.path), line: m.lineNumber })) }
}
const grepWithWalker = (instance: Instance, root: string, pattern: string, opts: SearchTextOptions) => grepFiles(instance, root, pattern, { ...opts, walker: true })

const project = (files: Record<string, string>) => tmpTree(files, "search-")

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
    const dir = await gitRepo(FILES)
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
    const absolute = await globTool.execute({ pattern: path.join(dir, "src/**/*.ts") }, ctx)
    expect(absolute.output.split("\n")).toHaveLength(3)
    await expect(globTool.execute({ pattern: "/elsewhere/*.ts" }, ctx)).rejects.toThrow(/not inside/)
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
    const dir = await gitRepo(FILES)
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
  test("lists and greps exactly what ripgrep does, nested and negated rules included", async () => {
    const dir = await gitRepo({
      ...FILES,
      "pkg/.gitignore": "secret.txt\n!keep.log\n",
      "pkg/a.txt": "hello a",
      "pkg/secret.txt": "hello secret",
      "pkg/keep.log": "hello keep",
      "pkg/drop.log": "hello drop",
    })
    const instance = await getInstance(dir)
    const sorted = (r: { files: string[] }) => r.files.map((f) => path.relative(dir, f)).sort()
    const viaRg = sorted(await findFiles(instance, dir, { max: 1000 }))
    expect(viaRg).toContain("pkg/keep.log")
    expect(viaRg).not.toContain("pkg/secret.txt")
    expect(viaRg).not.toContain("pkg/drop.log")
    expect(sorted(await findFilesWithWalker(instance, dir, { max: 1000 }))).toEqual(viaRg)
    const sub = path.join(dir, "pkg")
    expect(sorted(await findFilesWithWalker(instance, sub, { max: 1000, glob: "*.log" }))).toEqual(["pkg/keep.log"])

    const where = (r: { matches: Array<{ file: string; line: number }> }) => r.matches.map((m) => `${path.relative(dir, m.file)}:${m.line}`).sort()
    const grepRg = where(await grepFiles(instance, dir, "hel+o", { max: 100 }))
    expect(grepRg).toContain("src/new.ts:2")
    expect(where(await grepWithWalker(instance, dir, "hel+o", { max: 100 }))).toEqual(grepRg)
    expect(where(await grepWithWalker(instance, dir, "hello", { max: 100, include: "*.ts" }))).toEqual(
      where(await grepFiles(instance, dir, "hello", { max: 100, include: "*.ts" })),
    )
    expect(where(await grepWithWalker(instance, dir, "^const", { max: 100 }))).toEqual(["src/new.ts:2"])
    expect(where(await grepFiles(instance, dir, "^const", { max: 100 }))).toEqual(["src/new.ts:2"])
    await expect(grepWithWalker(instance, dir, "hel(lo", { max: 10 })).rejects.toThrow(/Invalid search pattern/)
  })

  test("both paths stop at max and say truncated, and keep perFile lines per file", async () => {
    const dir = project({ "a.txt": "x1\nx2\nx3\n", "b.txt": "x4\nx5\n" })
    const instance = await getInstance(dir)
    for (const walker of [false, true]) {
      const capped = await searchText(instance, dir, "x\\d", { max: 3, walker })
      expect(capped).toMatchObject({ truncated: true })
      expect(capped.matches).toHaveLength(3)
      const perFile = await searchText(instance, dir, "x\\d", { max: 100, perFile: 1, walker })
      expect(perFile.truncated).toBe(false)
      expect(perFile.matches.map((m) => m.line).sort()).toEqual(["x1\n", "x4\n"])
      const listed = await listFiles(instance, dir, { max: 1, walker })
      expect(listed).toMatchObject({ truncated: true })
      expect(listed.files).toHaveLength(1)
    }
  })

  test("a search rooted inside an ignored directory still searches it, as rg does", async () => {
    const dir = await gitRepo({ ".gitignore": "vendor/\n", "vendor/lib/x.js": "hello vendored\n", "a.js": "hello\n" })
    const instance = await getInstance(dir)
    const root = path.join(dir, "vendor/lib")
    expect((await findFiles(instance, root, { max: 10 })).files).toEqual([path.join(root, "x.js")])
    expect((await findFilesWithWalker(instance, root, { max: 10 })).files).toEqual([path.join(root, "x.js")])
    expect((await grepWithWalker(instance, root, "vendored", { max: 10 })).matches).toHaveLength(1)
    expect((await findFilesWithWalker(instance, dir, { max: 10 })).files.map((f) => path.relative(dir, f)).sort()).toEqual([".gitignore", "a.js"])
  })

  test("outside git, .gitignore is not a rule (as for rg and the file API) but .ignore is", async () => {
    const dir = project({ ".gitignore": "a.txt\n", ".ignore": "b.txt\n", "a.txt": "", "b.txt": "", "c.txt": "" })
    const instance = await getInstance(dir)
    const names = (r: { files: string[] }) => r.files.map((f) => path.basename(f)).sort()
    expect(names(await findFiles(instance, dir, { max: 10, glob: "*.txt" }))).toEqual(["a.txt", "c.txt"])
    expect(names(await findFilesWithWalker(instance, dir, { max: 10, glob: "*.txt" }))).toEqual(["a.txt", "c.txt"])
  })
})
