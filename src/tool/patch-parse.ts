import { ToolError } from "./tool"

// The "*** Begin Patch" format: file-level headers, then context-anchored hunks without line
// numbers. Models produce it more reliably than unified diffs because nothing has to be
// counted; patch-apply.ts locates each hunk by its text.
export type ChunkLine = { op: " " | "-" | "+"; text: string }
export type Chunk = { context?: string; lines: ChunkLine[]; eof: boolean }
export type FileHunk =
  | { kind: "add"; path: string; content: string }
  | { kind: "delete"; path: string }
  | { kind: "update"; path: string; moveTo?: string; chunks: Chunk[] }

const BEGIN = "*** Begin Patch"
const END = "*** End Patch"
const ADD = "*** Add File: "
const DELETE = "*** Delete File: "
const UPDATE = "*** Update File: "
const MOVE = "*** Move to: "
const EOF_MARK = "*** End of File"

export function isBeginPatch(text: string) {
  return text.includes(BEGIN)
}

export function parseBeginPatch(text: string): FileHunk[] {
  const all = text.replace(/\r\n/g, "\n").split("\n")
  const start = all.findIndex((l) => l.trim() === BEGIN)
  const end = all.findLastIndex((l) => l.trim() === END)
  if (start === -1) throw new ToolError(`The patch must start with a "${BEGIN}" line.`)
  if (end <= start) throw new ToolError(`The patch must end with a "${END}" line; it may have been cut off.`)
  const lines = all.slice(start + 1, end)
  const hunks: FileHunk[] = []
  let i = 0
  const fail = (msg: string): never => {
    throw new ToolError(`Invalid patch at line ${start + 2 + i}: ${msg}`)
  }
  while (i < lines.length) {
    const line = lines[i]
    if (line.startsWith(ADD)) {
      const path = line.slice(ADD.length).trim()
      const body: string[] = []
      for (i++; i < lines.length && !isHeader(lines[i]); i++) {
        if (!lines[i].startsWith("+")) fail(`every line of an added file starts with "+" (got ${JSON.stringify(lines[i])}).`)
        body.push(lines[i].slice(1))
      }
      hunks.push({ kind: "add", path, content: body.length ? body.join("\n") + "\n" : "" })
    } else if (line.startsWith(DELETE)) {
      hunks.push({ kind: "delete", path: line.slice(DELETE.length).trim() })
      i++
    } else if (line.startsWith(UPDATE)) {
      const path = line.slice(UPDATE.length).trim()
      i++
      let moveTo: string | undefined
      if (lines[i]?.startsWith(MOVE)) moveTo = lines[i++].slice(MOVE.length).trim()
      const chunks: Chunk[] = []
      let cur: Chunk | undefined
      for (; i < lines.length && !isHeader(lines[i]); i++) {
        const l = lines[i]
        if (l.startsWith("@@")) {
          const context = l.slice(2).trim()
          chunks.push((cur = { ...(context ? { context } : {}), lines: [], eof: false }))
          continue
        }
        if (l.trim() === EOF_MARK) {
          if (!cur) fail(`"${EOF_MARK}" must follow a hunk.`)
          cur!.eof = true
          continue
        }
        if (!cur) chunks.push((cur = { lines: [], eof: false }))
        const mark = l[0]
        // An empty line is an empty context line whose leading space was stripped.
        if (l === "" || mark === " " || mark === "-" || mark === "+") cur.lines.push({ op: (mark ?? " ") as ChunkLine["op"], text: l.slice(1) })
        else fail(`hunk lines start with " " (context), "-" (remove) or "+" (add); got ${JSON.stringify(l)}.`)
      }
      const changed = chunks.filter((c) => c.lines.some((x) => x.op !== " "))
      if (!changed.length && !moveTo) fail(`"${UPDATE}${path}" has no hunks.`)
      hunks.push({ kind: "update", path, ...(moveTo ? { moveTo } : {}), chunks: changed })
    } else if (line.trim() === "") i++
    else fail(`expected "${ADD}", "${UPDATE}" or "${DELETE}", got ${JSON.stringify(line)}.`)
  }
  if (!hunks.length) throw new ToolError("The patch contains no file changes.")
  for (const h of hunks) if (!h.path) throw new ToolError("A file header in the patch has an empty path.")
  return hunks
}

function isHeader(l: string) {
  return l.startsWith(ADD) || l.startsWith(DELETE) || l.startsWith(UPDATE)
}
