import fs from "node:fs"
import path from "node:path"
import { t } from "../util/schema"
import DESCRIPTION from "./grep.txt" with { type: "text" }
import { defineTool, ToolError, type ToolContext } from "./tool"
import { resolveToolPath, displayPath, isDirectory } from "./resolve-path"
import { SearchPatternError, searchText } from "../file/search"

type GrepMatch = { file: string; line: number; text: string }

export const GREP_LIMIT = 100
/** Matches gathered before ordering files by recency; past this the search stops. */
const SCAN_LIMIT = 5_000
const MAX_LINE_CHARS = 500

export const grepTool = defineTool({
  id: "grep",
  description: DESCRIPTION,
  parameters: t.Object({
    pattern: t.String({ description: "Regular expression to search for" }),
    path: t.Optional(t.String({ description: "Directory to search in (default: the project directory)" })),
    include: t.Optional(t.String({ description: 'Only search files matching this glob, e.g. "*.ts" or "*.{ts,tsx}"' })),
  }),
  async execute(args, ctx) {
    if (!args.pattern) throw new ToolError("pattern is empty.")
    const root = args.path ? await resolveToolPath(ctx, args.path, "Search files") : ctx.instance.directory
    if (!isDirectory(root)) throw new ToolError(`${displayPath(ctx, root)} is not a directory.`)
    const found = await grepFiles(root, args.pattern, args.include, ctx)
    const title = args.pattern
    if (!found.matches.length) return { title, output: "No matches found.", metadata: { matches: 0, truncated: false } }

    const byFile = groupByRecency(found.matches)
    const lines: string[] = []
    let shown = 0
    for (const [file, matches] of byFile) {
      if (shown >= GREP_LIMIT) break
      lines.push(`${file}:`)
      for (const m of matches.slice(0, GREP_LIMIT - shown)) {
        const text = m.text.length > MAX_LINE_CHARS ? m.text.slice(0, MAX_LINE_CHARS) + "…" : m.text
        lines.push(`  Line ${m.line}: ${text}`)
        shown++
      }
      lines.push("")
    }
    const total = found.matches.length
    const cut = found.truncated || total > shown
    const head = `Found ${found.truncated ? "more than " + total : total} matches in ${found.truncated ? "at least " : ""}${byFile.size} files.`
    const note = cut ? `\n(Showing the first ${shown}. Narrow the pattern, path or include filter to see the rest.)` : ""
    return { title, output: `${head}\n\n${lines.join("\n").trimEnd()}${note}`, metadata: { matches: total, truncated: cut } }
  },
})

async function grepFiles(root: string, pattern: string, include: string | undefined, ctx: ToolContext) {
  try {
    const found = await searchText(ctx.instance, root, pattern, { include, max: SCAN_LIMIT, signal: ctx.abort })
    const matches: GrepMatch[] = found.matches.map((m) => ({ file: path.join(root, m.path), line: m.lineNumber, text: m.line.replace(/\r?\n$/, "") }))
    return { matches, truncated: found.truncated }
  } catch (e) {
    if (e instanceof SearchPatternError) throw new ToolError(`Invalid regular expression: ${e.reason}`)
    throw e
  }
}

function groupByRecency(matches: GrepMatch[]): Map<string, GrepMatch[]> {
  const groups = new Map<string, GrepMatch[]>()
  for (const m of matches) {
    const g = groups.get(m.file)
    if (g) g.push(m)
    else groups.set(m.file, [m])
  }
  const mtime = (f: string) => {
    try {
      return fs.statSync(f).mtimeMs
    } catch {
      return 0
    }
  }
  const order = [...groups.keys()].map((f) => ({ f, t: mtime(f) })).sort((a, b) => b.t - a.t || (a.f < b.f ? -1 : 1))
  return new Map(order.map(({ f }) => [f, groups.get(f)!.sort((a, b) => a.line - b.line)]))
}
