import { ToolError } from "./tool"
import type { Chunk, ChunkLine } from "./patch-parse"

/** Applies context-anchored chunks to a file's text, keeping its line endings and final newline. */
export function applyChunks(text: string, chunks: Chunk[], shown: string): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n"
  const normalized = text.replace(/\r\n/g, "\n")
  const finalNewline = normalized === "" || normalized.endsWith("\n")
  const lines = normalized === "" ? [] : (finalNewline ? normalized.slice(0, -1) : normalized).split("\n")

  const edits: Array<{ at: number; remove: number; insert: string[] }> = []
  let cursor = 0
  for (const [n, chunk] of chunks.entries()) {
    const where = `hunk ${n + 1} of ${shown}`
    if (chunk.context !== undefined) {
      const at = seek(lines, [chunk.context], cursor, false)
      if (at === -1) throw new ToolError(`${where}: the context line "@@ ${chunk.context}" was not found${cursor ? " after the previous hunk" : ""}.`)
      cursor = at + 1
    }
    let body = chunk.lines
    if (!body.some((l) => l.op !== "+")) {
      edits.push({ at: chunk.context !== undefined ? cursor : lines.length, remove: 0, insert: body.map((l) => l.text) })
      continue
    }
    let at = seek(lines, old(body), cursor, chunk.eof)
    // A trailing blank context line is often invented at the end of a hunk.
    const last = body[body.length - 1]
    if (at === -1 && last.op === " " && last.text === "") {
      body = body.slice(0, -1)
      at = seek(lines, old(body), cursor, chunk.eof)
    }
    if (at === -1)
      throw new ToolError(
        `${where}: these lines were not found${cursor ? " after the previous hunk" : ""}:\n${old(chunk.lines).join("\n")}\n` +
          "Read the file again and copy the context and removed lines exactly.",
      )
    // Context lines keep the file's own text: the match may have ignored whitespace.
    const insert: string[] = []
    let k = at
    for (const l of body) {
      if (l.op === "+") insert.push(l.text)
      else if (l.op === " ") insert.push(lines[k++])
      else k++
    }
    edits.push({ at, remove: k - at, insert })
    cursor = k
  }
  for (const e of edits.reverse()) lines.splice(e.at, e.remove, ...e.insert)
  const out = lines.join("\n") + (finalNewline && lines.length ? "\n" : "")
  return eol === "\n" ? out : out.replace(/\n/g, eol)
}

function old(body: ChunkLine[]) {
  return body.filter((l) => l.op !== "+").map((l) => l.text)
}

// Exact first, then ignoring trailing whitespace, then all surrounding whitespace, then
// typographic look-alikes (curly quotes, dashes, non-breaking spaces) that models emit.
const PASSES: Array<(s: string) => string> = [(s) => s, (s) => s.trimEnd(), (s) => s.trim(), (s) => canon(s.trim())]

function seek(lines: string[], pattern: string[], start: number, eof: boolean): number {
  if (pattern.length > lines.length) return -1
  const last = lines.length - pattern.length
  for (const norm of PASSES) {
    const want = pattern.map(norm)
    const fits = (i: number) => want.every((w, j) => norm(lines[i + j]) === w)
    if (eof && last >= start && fits(last)) return last
    for (let i = start; i <= last; i++) if (fits(i)) return i
  }
  return -1
}

function canon(s: string) {
  return s
    .replace(/[\u2018\u2019\u201A\u201B]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g, " ")
}
