import { structuredPatch } from "diff"
import type { FileDiff } from "../../session/schema"
import { clip, esc } from "./html"

const MAX_DIFF = 60_000

/** A unified diff text, each line coloured by its kind. */
export function unifiedDiff(text: string): string {
  const { text: shown, omitted } = clip(text, MAX_DIFF)
  let inHunk = false
  const lines: string[] = []
  for (const line of shown.replace(/\n$/, "").split("\n")) {
    if (line.startsWith("@@")) inHunk = true
    // The "Index:" / "====" preamble of createTwoFilesPatch says nothing the file name does not.
    if (!inHunk && (line.startsWith("Index: ") || /^={10,}$/.test(line))) continue
    const kind = !inHunk ? "meta" : line.startsWith("@@") ? "hunk" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx"
    lines.push(`<span class="${kind}">${esc(line)}</span>`)
  }
  const note = omitted ? `<span class="meta">… diff cut: ${omitted.toLocaleString("en-US")} more characters</span>` : ""
  // Each line is a block span, so no newline between them (it would double the spacing).
  return `<pre class="diff">${lines.join("")}${note}</pre>`
}

/** A file's before/after as hunks with three lines of context, never the whole file. */
export function fileDiff(d: FileDiff): string {
  const counts = `<span class="adds">+${d.additions}</span> <span class="dels">-${d.deletions}</span>`
  const head = `<summary><code>${esc(d.file)}</code> ${counts}</summary>`
  if (!d.before && !d.after) return `<details class="file" open>${head}<p class="note">Binary file or empty change.</p></details>`
  const patch = structuredPatch(d.file, d.file, d.before.replaceAll("\r\n", "\n"), d.after.replaceAll("\r\n", "\n"), "", "", { context: 3 })
  const text = patch.hunks.map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join("\n")).join("\n")
  return `<details class="file" open>${head}${unifiedDiff(text)}</details>`
}
