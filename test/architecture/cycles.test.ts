import { expect, test } from "bun:test"
import path from "node:path"
import madge from "madge"

const root = path.join(import.meta.dir, "..", "..")

// A cycle makes load order decide what is defined when, and ties the modules in it into one
// knot. Type-only imports vanish at run time, so they may point back; `import()` counts, so a
// deferred import cannot hide a cycle.
test("no module in src/ imports itself back, at run time", async () => {
  const graph = await madge(path.join(root, "src"), {
    fileExtensions: ["ts"],
    tsConfig: path.join(root, "tsconfig.json"),
    detectiveOptions: { ts: { skipTypeImports: true, skipAsyncImports: false } },
  })
  expect(Object.keys(graph.obj()).length).toBeGreaterThan(300)
  expect(graph.circular()).toEqual([])
})
