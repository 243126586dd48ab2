import fs from "node:fs"
import path from "node:path"
import { t } from "../util/schema"
import DESCRIPTION from "./glob.txt" with { type: "text" }
import { defineTool, ToolError } from "./tool"
import { resolveToolPath, displayPath, isDirectory } from "./resolve-path"
import { listFiles } from "../file/search"

export const GLOB_LIMIT = 100
/** Matches considered for the mtime sort; beyond it the newest-first order is approximate. */
const SCAN_LIMIT = 20_000

export const globTool = defineTool({
  id: "glob",
  description: DESCRIPTION,
  parameters: t.Object({
    pattern: t.String({ description: "Glob pattern to match file paths against, e.g. **/*.ts" }),
    path: t.Optional(t.String({ description: "Directory to search in (default: the project directory)" })),
  }),
  async execute(args, ctx) {
    const root = args.path ? await resolveToolPath(ctx, args.path, "Search files") : ctx.instance.directory
    if (!isDirectory(root)) throw new ToolError(`${displayPath(ctx, root)} is not a directory.`)
    const found = await listFiles(ctx.instance, root, { glob: relativePattern(args.pattern, root), max: SCAN_LIMIT, signal: ctx.abort })
    const files = found.files
      .map((rel) => path.join(root, rel))
      .map((f) => ({ f, mtime: mtime(f) }))
      .sort((a, b) => b.mtime - a.mtime)
      .map((e) => e.f)
    const shown = files.slice(0, GLOB_LIMIT)
    const cut = files.length > GLOB_LIMIT || found.truncated
    const title = displayPath(ctx, root) === "." ? args.pattern : `${args.pattern} in ${displayPath(ctx, root)}`
    if (!shown.length) return { title, output: "No files found.", metadata: { count: 0, truncated: false } }
    const note = cut ? `\n\n(Showing the ${GLOB_LIMIT} most recently modified of ${found.truncated ? "more than " + SCAN_LIMIT : files.length} matches. Use a more specific pattern or path.)` : ""
    return { title, output: shown.join("\n") + note, metadata: { count: shown.length, truncated: cut } }
  },
})

/** Models often pass an absolute pattern; globs match paths relative to the search root. */
function relativePattern(pattern: string, root: string) {
  if (!path.isAbsolute(pattern)) return pattern
  const rel = path.relative(root, pattern)
  if (rel.startsWith("..") || path.isAbsolute(rel))
    throw new ToolError(`The pattern ${pattern} is not inside ${root}. Pass the directory as path and a relative pattern.`)
  return rel.split(path.sep).join("/")
}

function mtime(f: string) {
  try {
    return fs.statSync(f).mtimeMs
  } catch {
    return 0
  }
}
