import { ToolError } from "./tool"

/**
 * Exact replacement of oldString by newString in content. Refuses (with a message that tells
 * the model how to fix its call) when the text is missing or, without replaceAll, ambiguous.
 */
export function replaceExact(content: string, oldString: string, newString: string, replaceAll: boolean) {
  // Models write "\n"; a CRLF file would otherwise never match a multi-line oldString.
  if (content.includes("\r\n") && !oldString.includes("\r\n")) {
    oldString = oldString.replaceAll("\n", "\r\n")
    newString = newString.replaceAll("\n", "\r\n")
  }
  const at = occurrences(content, oldString)
  if (at.length === 0) throw new ToolError(missingMessage(content, oldString))
  if (at.length > 1 && !replaceAll) {
    const lines = at.slice(0, 10).map((i) => lineOf(content, i))
    throw new ToolError(
      `oldString matches ${at.length} places (lines ${lines.join(", ")}${at.length > 10 ? ", ..." : ""}). ` +
        "Include more surrounding lines in oldString so it matches exactly one place, or set replaceAll to true to change every occurrence.",
    )
  }
  let out = ""
  let prev = 0
  for (const i of at) {
    out += content.slice(prev, i) + newString
    prev = i + oldString.length
  }
  return { content: out + content.slice(prev), count: at.length }
}

function occurrences(content: string, needle: string): number[] {
  const out: number[] = []
  let i = content.indexOf(needle)
  while (i !== -1) {
    out.push(i)
    i = content.indexOf(needle, i + needle.length)
  }
  return out
}

function lineOf(content: string, index: number) {
  let n = 1
  for (let i = content.indexOf("\n"); i !== -1 && i < index; i = content.indexOf("\n", i + 1)) n++
  return n
}

function missingMessage(content: string, oldString: string): string {
  const base = "oldString was not found in the file."
  const wanted = oldString.split(/\r?\n/)
  if (wanted.every((l) => /^\s*\d+\t/.test(l) || !l.trim()))
    return `${base} It looks like it includes the line numbers from read's output: pass only the file's text, without the number and tab.`
  const near = looseMatch(content.split(/\r?\n/), wanted)
  if (near)
    return `${base} Lines ${near}-${near + wanted.length - 1} match it except for whitespace or indentation. Read those lines again and copy them exactly.`
  return `${base} Read the file again and copy the text exactly, including whitespace and indentation.`
}

/** First line (1-based) where the wanted lines match once leading/trailing spaces are ignored. */
function looseMatch(lines: string[], wanted: string[]): number | undefined {
  const w = wanted.map((l) => l.trim())
  while (w.length && !w[w.length - 1]) w.pop()
  if (!w.length) return undefined
  outer: for (let i = 0; i + w.length <= lines.length; i++) {
    for (let j = 0; j < w.length; j++) if (lines[i + j].trim() !== w[j]) continue outer
    return i + 1
  }
  return undefined
}
