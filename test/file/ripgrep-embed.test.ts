import { describe, test, expect } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { ripgrepPackageFor, ripgrepPlugin } from "../../src/file/ripgrep-embed"
import { tmpdir } from "../helpers/tmp"

describe("ripgrep embedding", () => {
  test("maps every compile target to its @vscode/ripgrep platform package", () => {
    expect(ripgrepPackageFor("bun-linux-x64")).toEqual({ pkg: "@vscode/ripgrep-linux-x64", bin: "bin/rg" })
    expect(ripgrepPackageFor("bun-linux-arm64-musl")).toEqual({ pkg: "@vscode/ripgrep-linux-arm64", bin: "bin/rg" })
    expect(ripgrepPackageFor("bun-darwin-arm64")).toEqual({ pkg: "@vscode/ripgrep-darwin-arm64", bin: "bin/rg" })
    expect(ripgrepPackageFor("darwin-x64")).toEqual({ pkg: "@vscode/ripgrep-darwin-x64", bin: "bin/rg" })
    expect(ripgrepPackageFor("bun-windows-x64-baseline")).toEqual({ pkg: "@vscode/ripgrep-win32-x64", bin: "bin/rg.exe" })
    expect(() => ripgrepPackageFor("bun-freebsd-x64")).toThrow(/unsupported/)
  })

  test.skipIf(process.platform !== "linux" || process.arch !== "x64")(
    "a compiled binary carries rg, copies it to the cache dir once and runs it",
    async () => {
      const dir = tmpdir("rgcompile-")
      const entry = path.join(dir, "entry.ts")
      const source = path.resolve(import.meta.dir, "../../src/file/search/rg-path.ts")
      fs.writeFileSync(entry, `import { rgPath } from ${JSON.stringify(source)}\nconst p = await rgPath()\nconst v = Bun.spawnSync([p!, "--version"]).stdout.toString()\nconsole.log(JSON.stringify({ p, v }))\n`)
      const outfile = path.join(dir, "probe")
      const built = await Bun.build({ entrypoints: [entry], compile: { target: "bun-linux-x64", outfile }, plugins: [await ripgrepPlugin("bun-linux-x64")] })
      expect(built.success).toBe(true)
      const cache = path.join(dir, "cache")
      // No PATH: the binary must not find a system rg or node_modules; only its embedded copy.
      const run = () => JSON.parse(Bun.spawnSync([outfile], { env: { OPENCODE_BUN_CACHE_DIR: cache, PATH: "" }, cwd: dir }).stdout.toString())
      const first = run()
      expect(first.p).toStartWith(path.join(cache, "bin", "rg-"))
      expect(first.v).toStartWith("ripgrep")
      expect(fs.statSync(first.p).mode & 0o777).toBe(0o755)
      const second = run()
      expect(second.p).toBe(first.p)
      fs.rmSync(outfile, { force: true })
    },
  )
})
