// The executable evaluates the web path's modules lazily, but a bundler hoists static imports
// of built-in modules to the top of the program: a compressor imported by the web code would
// load at every start-up. The server's own bundle imports no built-in that only the web path
// needs.
import { test, expect } from "bun:test"
import path from "node:path"
import { tmpdir } from "../helpers/tmp"

const ROOT = path.resolve(import.meta.dir, "../..")

test("the server's bundle loads no zlib at start-up", async () => {
  const r = await Bun.build({ entrypoints: [path.join(ROOT, "src/index.ts")], target: "bun", format: "esm", outdir: tmpdir("startup-bundle-") })
  expect(r.success).toBe(true)
  const main = await r.outputs.find((o) => o.kind === "entry-point")!.text()
  const builtins = [...main.matchAll(/^import .* from "(?:node:)?([a-z_/]+)";$/gm)].map((m) => m[1])
  expect(builtins).toContain("fs")
  expect(builtins.filter((b) => b === "zlib")).toEqual([])
}, 60_000)
