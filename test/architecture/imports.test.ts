import { expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"

const src = path.join(import.meta.dir, "..", "..", "src")

/** Every module specifier a file names: static imports and re-exports, `import()` and `require()`. */
function specifiers(code: string): string[] {
  const found: string[] = []
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm)) found.push(m[1]!)
  return found
}

function sources(): string[] {
  return [...new Bun.Glob("**/*.{ts,tsx}").scanSync(src)].map((f) => f.split(path.sep).join("/"))
}

// Domains are plain TypeScript: only the HTTP layer knows the web framework. Schemas come from
// our own util/schema.ts, the one place that takes the TypeBox builder from Elysia.
test("only src/server/ and util/schema.ts import elysia", () => {
  const offenders = sources()
    .filter((f) => !f.startsWith("server/") && f !== "util/schema.ts")
    .filter((f) => specifiers(fs.readFileSync(path.join(src, f), "utf8")).some((s) => s === "elysia" || s.startsWith("elysia/")))
  expect(offenders).toEqual([])
})

test("the import scan sees every form of import", () => {
  const code = `import { t } from "elysia"\nexport { x } from 'elysia/type-system'\nconst m = await import("elysia")\nimport "elysia"\n`
  expect(specifiers(code)).toEqual(["elysia", "elysia/type-system", "elysia", "elysia"])
  expect(sources()).toContain("server/app.ts")
})
