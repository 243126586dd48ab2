import fs from "node:fs"
import path from "node:path"
import ignore from "ignore"
import { t } from "../util/schema"
import DESCRIPTION from "./list.txt" with { type: "text" }
import { defineTool, ToolError } from "./tool"
import { resolveToolPath, displayPath, isDirectory } from "./resolve-path"
import { ignoreRulesFor } from "./ignore-rules"

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
    const rules = ignoreRulesFor(ctx.instance, root)
    const extra = ignore().add([...DEFAULT_IGNORE, ...(args.ignore ?? [])])
    const tree: Node = { name: root, dir: true, children: new Map() }
    let count = 0
    let truncated = false
    // Level by level, so a capped listing still shows the whole top of the tree.
    const queue: Array<{ rel: string; node: Node }> = [{ rel: "", node: tree }]
    for (let i = 0; i < queue.length && !truncated && !ctx.abort.aborted; i++) {
      const { rel, node } = queue[i]
      let entries: fs.Dirent[]
      try {
        entries = await fs.promises.readdir(path.join(root, rel), { withFileTypes: true })
      } catch {
        continue
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const childRel = rel ? `${rel}/${e.name}` : e.name
        const dir = e.isDirectory()
        if (rules.ignores(childRel, dir) || extra.ignores(dir ? childRel + "/" : childRel)) continue
        if (count === LIST_LIMIT) {
          truncated = true
          break
        }
        const child: Node = { name: e.name, dir, children: new Map() }
        node.children.set(e.name, child)
        count++
        if (dir) queue.push({ rel: childRel, node: child })
      }
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
