import { describe, test, expect } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { tmpTree } from "../helpers/tmp"
import { BUILTIN, resolveSpecs, handles, findCommand } from "../../src/lsp/servers"

const tree = (files: Record<string, string>) => tmpTree(files, "lsp-root-")
const spec = (id: string) => BUILTIN.find((s) => s.id === id)!

describe("root detection", () => {
  test("typescript: a lock file (monorepo root) wins over a nearer package.json", () => {
    const dir = tree({ "bun.lock": "", "packages/a/package.json": "{}", "packages/a/src/x.ts": "", "other/y.ts": "" })
    expect(spec("typescript").root(path.join(dir, "packages/a/src/x.ts"), dir)).toBe(dir)
    const plain = tree({ "packages/a/tsconfig.json": "{}", "packages/a/src/x.ts": "" })
    expect(spec("typescript").root(path.join(plain, "packages/a/src/x.ts"), plain)).toBe(path.join(plain, "packages/a"))
  })

  test("go: go.work over go.mod; python: nearest project file; none found is undefined", () => {
    const go = tree({ "go.work": "", "svc/go.mod": "", "svc/main.go": "" })
    expect(spec("gopls").root(path.join(go, "svc/main.go"), go)).toBe(go)
    const mod = tree({ "svc/go.mod": "", "svc/cmd/main.go": "" })
    expect(spec("gopls").root(path.join(mod, "svc/cmd/main.go"), mod)).toBe(path.join(mod, "svc"))
    const py = tree({ "pyproject.toml": "", "pkg/sub/m.py": "" })
    expect(spec("python").root(path.join(py, "pkg/sub/m.py"), py)).toBe(py)
    const bare = tree({ "m.py": "" })
    expect(spec("python").root(path.join(bare, "m.py"), bare)).toBeUndefined()
  })

  test("rust: the Cargo workspace above a member crate", () => {
    const dir = tree({ "Cargo.toml": "[workspace]\nmembers = [\"crates/a\"]\n", "crates/a/Cargo.toml": "[package]\n", "crates/a/src/lib.rs": "" })
    expect(spec("rust").root(path.join(dir, "crates/a/src/lib.rs"), dir)).toBe(dir)
    const single = tree({ "a/Cargo.toml": "[package]\n", "a/src/lib.rs": "" })
    expect(spec("rust").root(path.join(single, "a/src/lib.rs"), single)).toBe(path.join(single, "a"))
  })
})

describe("config lsp section", () => {
  test("disable one, override a command, add a custom server; false disables all", () => {
    const specs = resolveSpecs({
      gopls: { disabled: true },
      typescript: { command: ["my-ts", "--stdio"] },
      zz: { command: ["zz-ls"], extensions: [".zz"] },
      incomplete: { command: ["x"] },
    })
    const ids = specs.map((s) => s.id)
    expect(ids).toEqual(["typescript", "python", "rust", "zz"])
    expect(specs[0]!.commands).toEqual([["my-ts", "--stdio"]])
    expect(handles(specs.at(-1)!, "/p/a.zz")).toBe(true)
    expect(handles(specs[0]!, "/p/a.zz")).toBe(false)
    expect(resolveSpecs(false)).toEqual([])
  })

  test("the project's node_modules/.bin is searched before PATH", () => {
    const dir = tree({ "node_modules/.bin/typescript-language-server": "#!/bin/sh\n" })
    fs.chmodSync(path.join(dir, "node_modules/.bin/typescript-language-server"), 0o755)
    const found = findCommand(spec("typescript"), path.join(dir, "src"), dir)
    expect(found).toEqual({ command: [path.join(dir, "node_modules/.bin/typescript-language-server"), "--stdio"], found: true })
    expect(findCommand({ ...spec("gopls"), commands: [["surely-not-installed-ls"]] }, dir, dir).found).toBe(false)
  })
})
