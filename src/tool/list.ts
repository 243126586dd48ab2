import path from "node:path"
import { t } from "elysia"
import DESCRIPTION from "./list.txt" with { type: "text" }
import { defineTool, ToolError } from "./tool"
import { resolveToolPath, displayPath, isDirectory } from "./resolve-path"
import { walk } from "./walk"

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
    ignore: t.Optional(t.Array(t.String(), { description: "Extra glob patterns to leave out, e.g. [\"*.log\", \"fixtures/\"]" })),
  }),
  async execute(args, ctx) {
    const root = args.path ? await resolveToolPath(ctx, args.path, "List a directory") : ctx.instance.directory
    if (!isDirectory(root)) throw new ToolError(`${displayPath(ctx, root)} is not a directory.`)
    const tree: Node = { name: root, dir: true, children: new Map() }
    let count = 0
    let truncated = false
    const entries = walk(root, {
      top: ctx.instance.worktree,
      exclude: [...DEFAULT_IGNORE, ...(args.ignore ?? [])],
      includeDirs: true,
      breadthFirst: true,
      symlinks: true,
      signal: ctx.abort,
    })
    for await (const e of entries) {
      if (count >= LIST_LIMIT) {
        truncated = true
        break
      }
      insert(tree, e.rel.split(path.sep), e.dir)
      count++
    }
    const lines = [`${root}${path.sep}`, ...render(tree, 1)]
    if (!count) lines.push("  (empty)")
    if (truncated) lines.push("", `(Stopped at ${LIST_LIMIT} entries. List a subdirectory, or use glob, to see more.)`)
    return { title: displayPath(ctx, root), output: lines.join("\n"), metadata: { count, truncated } }
  },
})

function insert(tree: Node, parts: string[], dir: boolean) {
  let node = tree
  parts.forEach((name, i) => {
    let child = node.children.get(name)
    if (!child) node.children.set(name, (child = { name, dir: i < parts.length - 1 || dir, children: new Map() }))
    node = child
  })
}

function render(node: Node, depth: number): string[] {
  const kids = [...node.children.values()].sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name))
  return kids.flatMap((k) => [`${"  ".repeat(depth)}${k.name}${k.dir ? "/" : ""}`, ...(k.dir ? render(k, depth + 1) : [])])
}
