// Regenerates fixtures/v1-schemas.json: JSON Schemas for the v1 SDK's wire types, straight from
// the SDK's own TypeScript declarations. Run after upgrading @opencode-ai/sdk:
//   ./node_modules/.bin/bun test/conformance/generate.ts
// The test reads the committed output and compares it with a fresh generation, so an SDK
// upgrade without regenerating fails loudly.

import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { createGenerator } from "ts-json-schema-generator"

const declarations = path.resolve(import.meta.dir, "../../node_modules/@opencode-ai/sdk/dist/gen/types.gen.d.ts")
const out = path.join(import.meta.dir, "fixtures/v1-schemas.json")

/** The schema document for the installed SDK: every `<Operation>Responses` and `<Operation>Errors` type, and `Event`. */
export function generate() {
  const source = fs.readFileSync(declarations, "utf8")
  const responses = [...source.matchAll(/^export type (\w+)Responses = \{/gm)].map((m) => m[1]!)
  const errors = [...source.matchAll(/^export type (\w+)Errors = \{/gm)].map((m) => m[1]!)

  // One root type naming every Responses and Errors type and the Event union, so a single generator pass
  // resolves them all (asking for "*" skips types the generator considers unreachable).
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "v1-schemas-")), "root.ts")
  fs.writeFileSync(
    root,
    [
      `import type * as V1 from ${JSON.stringify(declarations.replace(/\.d\.ts$/, ""))}`,
      `export type Root = {`,
      `  Event: V1.Event`,
      ...responses.map((name) => `  ${name}: V1.${name}Responses`),
      ...errors.map((name) => `  ${name}Errors: V1.${name}Errors`),
      `}`,
    ].join("\n"),
  )

  const schema = createGenerator({
    path: root,
    type: "Root",
    skipTypeCheck: true,
    topRef: false,
    // The real server sends more than the SDK declares; only missing or mistyped fields matter.
    additionalProperties: true,
  }).createSchema("Root")
  fs.rmSync(path.dirname(root), { recursive: true, force: true })

  return { $id: "v1", operations: responses, ...schema }
}

if (import.meta.main) {
  const document = generate()
  fs.writeFileSync(out, JSON.stringify(document, null, 2) + "\n")
  console.log(
    `wrote ${path.relative(process.cwd(), out)}: ${document.operations.length} operations, ${Object.keys(document.definitions ?? {}).length} definitions`,
  )
}
