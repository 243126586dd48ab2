import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir, writeTree } from "../helpers/tmp"
import { getInstance } from "../../src/project/instance"
import * as Format from "../../src/format"

// prettier is a devDependency; a temp project links the repository's node_modules so it is
// found where a real project keeps it.
const REPO_MODULES = path.resolve(import.meta.dir, "../../node_modules")

function project(files: Record<string, string>, linkModules = true) {
  const dir = tmpdir("fmt-")
  if (linkModules) fs.symlinkSync(REPO_MODULES, path.join(dir, "node_modules"))
  return writeTree(dir, files)
}

const UGLY = `const  x = {a:1,\n  b:2}\nfunction f( a,b ){return a+b}\n`
const PRETTY = `const x = { a: 1, b: 2 };\nfunction f(a, b) {\n  return a + b;\n}\n`
const WITH_PRETTIER = { "package.json": JSON.stringify({ devDependencies: { prettier: "3" } }) }

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s.stop())

describe("formatter status", () => {
  test("prettier is enabled when the project depends on it and it is installed", async () => {
    const dir = project(WITH_PRETTIER)
    const { data, error } = await s.sdk(dir).formatter.status()
    expect(error).toBeUndefined()
    const byName = Object.fromEntries(data!.map((f) => [f.name, f]))
    expect(byName.prettier).toMatchObject({ enabled: true })
    expect(byName.prettier!.extensions).toContain(".ts")
    expect(byName.biome!.enabled).toBe(false)
    expect(byName.gofmt!.enabled).toBe(!!Bun.which("gofmt"))
  })

  test("an installed prettier the project never asked for stays off", async () => {
    const dir = project({ "package.json": "{}" })
    const { data } = await s.sdk(dir).formatter.status()
    expect(data!.find((f) => f.name === "prettier")!.enabled).toBe(false)
  })

  test("formatter: false disables every formatter", async () => {
    const dir = project({ ...WITH_PRETTIER, "opencode.json": JSON.stringify({ formatter: false }), "a.ts": UGLY })
    const { data } = await s.sdk(dir).formatter.status()
    expect(data!.length).toBeGreaterThan(5)
    expect(data!.filter((f) => f.enabled)).toEqual([])
    expect(await Format.formatFile(await getInstance(dir), path.join(dir, "a.ts"))).toBe(false)
    expect(fs.readFileSync(path.join(dir, "a.ts"), "utf8")).toBe(UGLY)
  })
})

describe("formatFile", () => {
  test("runs prettier on a file of its type", async () => {
    const dir = project({ ...WITH_PRETTIER, "src/a.ts": UGLY })
    const file = path.join(dir, "src/a.ts")
    expect(await Format.formatFile(await getInstance(dir), file)).toBe(true)
    expect(fs.readFileSync(file, "utf8")).toBe(PRETTY)
  })

  test("a file no formatter handles, or outside the project, is left alone", async () => {
    const dir = project({ ...WITH_PRETTIER, "notes.zz": "a  b" })
    const instance = await getInstance(dir)
    expect(await Format.formatFile(instance, path.join(dir, "notes.zz"))).toBe(false)
    const other = project({ ...WITH_PRETTIER, "a.ts": UGLY })
    expect(await Format.formatFile(instance, path.join(other, "a.ts"))).toBe(false)
    expect(fs.readFileSync(path.join(other, "a.ts"), "utf8")).toBe(UGLY)
  })

  test("a formatter that fails (syntax error) answers false and leaves the file", async () => {
    const dir = project({ ...WITH_PRETTIER, "bad.ts": "const = = 1\n" })
    expect(await Format.formatFile(await getInstance(dir), path.join(dir, "bad.ts"))).toBe(false)
    expect(fs.readFileSync(path.join(dir, "bad.ts"), "utf8")).toBe("const = = 1\n")
  })

  test("a custom formatter from config, and a disabled built-in", async () => {
    const dir = project(
      {
        ...WITH_PRETTIER,
        "upper.sh": `#!/bin/sh\ntr a-z A-Z < "$1" > "$1.tmp" && mv "$1.tmp" "$1"\n`,
        "opencode.json": JSON.stringify({
          formatter: { upper: { command: ["./upper.sh", "$FILE"], extensions: [".txt"] }, prettier: { disabled: true } },
        }),
        "a.txt": "hello\n",
        "a.ts": UGLY,
      },
      true,
    )
    fs.chmodSync(path.join(dir, "upper.sh"), 0o755)
    const instance = await getInstance(dir)
    const list = await Format.status(instance)
    expect(list.find((f) => f.name === "upper")).toEqual({ name: "upper", extensions: [".txt"], enabled: true })
    expect(list.find((f) => f.name === "prettier")!.enabled).toBe(false)
    expect(await Format.formatFile(instance, path.join(dir, "a.txt"))).toBe(true)
    expect(fs.readFileSync(path.join(dir, "a.txt"), "utf8")).toBe("HELLO\n")
    expect(await Format.formatFile(instance, path.join(dir, "a.ts"))).toBe(false)
  })

  test.skipIf(!Bun.which("rustfmt"))("rustfmt formats Rust with the crate's edition", async () => {
    const dir = project({ "Cargo.toml": `[package]\nname = "x"\nedition = "2021"\n`, "src/main.rs": "async fn  main( ){let x=1;}\n" }, false)
    const file = path.join(dir, "src/main.rs")
    expect(await Format.formatFile(await getInstance(dir), file)).toBe(true)
    expect(fs.readFileSync(file, "utf8")).toBe("async fn main() {\n    let x = 1;\n}\n")
  })
})
