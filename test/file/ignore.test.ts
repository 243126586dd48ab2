import { describe, test, expect } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { IgnoreRules } from "../../src/file/ignore"
import { tmpTree } from "../helpers/tmp"

const tree = (files: Record<string, string>) => tmpTree(files, "ign-")

describe("IgnoreRules", () => {
  test("git semantics: deeper files override, negation, no re-include under an ignored dir", () => {
    const dir = tree({ ".gitignore": "*.log\nbuild/\n", "app/.gitignore": "!keep.log\n", "build/.gitignore": "!x.txt\n", ".git/info/exclude": "secret.txt\n" })
    const r = new IgnoreRules(dir, dir, true)
    expect(r.ignores("a.log", false)).toBe(true)
    expect(r.ignores("app/keep.log", false)).toBe(false)
    expect(r.ignores("app/other.log", false)).toBe(true)
    expect(r.ignores("build", true)).toBe(true)
    expect(r.ignores("build/x.txt", false)).toBe(true)
    expect(r.ignores("secret.txt", false)).toBe(true)
    expect(r.ignores(".git", true)).toBe(true)
    expect(r.ignores("src/main.ts", false)).toBe(false)
  })

  test(".gitignore applies only inside a git repository; .ignore always", () => {
    const dir = tree({ ".gitignore": "a.txt\n", ".ignore": "b.txt\n" })
    const r = new IgnoreRules(dir, dir, false)
    expect(r.ignores("a.txt", false)).toBe(false)
    expect(r.ignores("b.txt", false)).toBe(true)
  })

  test("a project in a subdirectory gets the repository's rules", () => {
    const repo = tree({ ".gitignore": "*.tmp\n", "pkg/a.ts": "" })
    const r = new IgnoreRules(path.join(repo, "pkg"), repo, true)
    expect(r.ignores("a.ts", false)).toBe(false)
    expect(r.ignores("b.tmp", false)).toBe(true)
  })

  test("a project inside a folder its repository ignores still sees its own files", () => {
    const repo = tree({ ".gitignore": "gen/\n", "gen/pkg/a.ts": "", "gen/pkg/.gitignore": "*.out\n" })
    const r = new IgnoreRules(path.join(repo, "gen/pkg"), repo, true)
    expect(r.ignores("a.ts", false)).toBe(false)
    expect(r.ignores("x.out", false)).toBe(true)
  })

  test("heavy folders and editor noise only when asked for", () => {
    const dir = tree({})
    expect(new IgnoreRules(dir, dir, true).ignores("node_modules", true)).toBe(false)
    const heavy = new IgnoreRules(dir, dir, true, { heavy: true })
    expect(heavy.ignores("node_modules", true)).toBe(true)
    expect(heavy.ignores("src/.main.ts.swp", false)).toBe(true)
    expect(heavy.ignores("src/main.ts", false)).toBe(false)
  })

  test("invalidate re-reads a changed rule file", () => {
    const dir = tree({ ".gitignore": "a.txt\n" })
    const r = new IgnoreRules(dir, dir, true)
    expect(r.ignores("b.txt", false)).toBe(false)
    fs.writeFileSync(path.join(dir, ".gitignore"), "b.txt\n")
    expect(r.ignores("b.txt", false)).toBe(false)
    r.invalidate("")
    expect(r.ignores("b.txt", false)).toBe(true)
    expect(r.ignores("a.txt", false)).toBe(false)
  })
})
