import path from "node:path"
import ignore from "ignore"
import { t } from "../util/schema"
import DESCRIPTION from "./list.txt" with { type: "text" }
import { defineTool, ToolError } from "./tool"
import { resolveToolPath, displayPath, isDirectory } from "./resolve-path"
import { rulesFor, walk } from "../file/search"

export const LIST_LIMIT = 200

// Folders that are almost never what the model is looking for, and can hold huge trees.
export const DEFAULT_IGNORE = [
  "node_modules/", "bower_components/", ".pnpm-store/", "vendor/", "dist/", "build/", "target/",
  ".next/", ".nuxt/", ".svelte-kit/", ".turbo/", ".cache/", "coverage/", ".nyc_output/", "__pycache__/",
  ".pytest_cache/", ".mypy_cache/", ".ruff_cache/", ".venv/", "venv/", ".tox/", ".gradle/", ".idea/",
  ".vscode/", ".DS_Store", "*.pyc",
]

type Node = { name: string; dir: boolean; children: Map<string, Node> }

export const listTool = defineTool({
  id: "list",
  description: DESCRIPTION,
  parameters: t.Object({
    path: t.Optional(t.String({ description: "Directory to list (default: the project directory)" })),
    ignore: t.Optional(t.Array(t.String(), { description: 'Extra glob patterns to leave out, e.g. ["*.log", "fixtures/"]' })),
  }),
  async execute(args, ctx) {
    const root = args.path ? await resolveToolPath(ctx, args.path, "List a directory") : ctx.instance.directory
    if (!isDirectory(root)) throw new ToolError(`${displayPath(ctx, root)} is not a directory.`)
    const extra = ignore().add([...DEFAULT_IGNORE, ...(args.ignore ?? [])])
    const tree: Node = { name: root, dir: true, children: new Map() }
    const nodes = new Map<string, Node>([["", tree]])
    let count = 0
    let truncated = false
    // Level by level, so a capped listing still shows the whole top of the tree.
    const entries = walk(root, rulesFor(ctx.instance, root), {
      breadthFirst: true,
      allEntries: true,
      skip: (rel, dir) => extra.ignores(dir ? rel + "/" : rel),
    })
    for await (const e of entries) {
      if (ctx.abort.aborted) break
      if (count === LIST_LIMIT) {
        truncated = true
        break
      }
      const cut = e.rel.lastIndexOf("/")
      const name = e.rel.slice(cut + 1)
      const child: Node = { name, dir: e.dir, children: new Map() }
      nodes.get(cut < 0 ? "" : e.rel.slice(0, cut))!.children.set(name, child)
      if (e.dir) nodes.set(e.rel, child)
      count++
    }
    const lines = [`${root}${path.sep}`, ...render(tree, 1)]
    if (!count) lines.push("  (empty)")
    if (truncated) lines.push("", `(Stopped at ${LIST_LIMIT} entries. List a subdirectory, or use glob, to see more.)`)
    return { title: displayPath(ctx, root), output: lines.join("\n"), metadata: { count, truncated } }
  },
})

function render(node: Node, depth: number): string[] {
  const kids = [...node.children.values()].sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name))
  return kids.flatMap((k) => [`${"  ".repeat(depth)}${k.name}${k.dir ? "/" : ""}`, ...(k.dir ? render(k, depth + 1) : [])])
}
