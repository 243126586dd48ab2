import path from "node:path"
import type { Diagnostic } from "vscode-languageserver-types"

const MAX_SHOWN = 20

/**
 * The text the model reads after an edit: only errors (warnings would drown them), one per
 * line with a 1-based position, capped so a broken file can't flood the context.
 */
export function formatErrors(file: string, root: string, reported: Array<{ server: string; diagnostics: Diagnostic[] }>): string {
  const lines: string[] = []
  const seen = new Set<string>()
  for (const { server, diagnostics } of reported) {
    for (const d of diagnostics) {
      if ((d.severity ?? 1) !== 1) continue
      const pos = `${d.range.start.line + 1}:${d.range.start.character + 1}`
      const code = d.code !== undefined ? ` ${d.code}` : ""
      const message = typeof d.message === "string" ? d.message : d.message.value
      const line = `ERROR ${pos} ${message.replace(/\s*\n\s*/g, " ")} [${d.source ?? server}${code}]`
      if (seen.has(line)) continue
      seen.add(line)
      lines.push(line)
    }
  }
  if (!lines.length) return ""
  const shown = lines.slice(0, MAX_SHOWN)
  if (lines.length > shown.length) shown.push(`... and ${lines.length - shown.length} more`)
  const rel = path.relative(root, file) || path.basename(file)
  return `The language server reports errors in ${rel} (line:column):\n${shown.join("\n")}`
}
