import fs from "node:fs"
import { t } from "../util/schema"
import DESCRIPTION from "./read.txt" with { type: "text" }
import { defineTool, ToolError, type ToolContext, type ToolResult } from "./tool"
import { resolveToolPath, displayPath } from "./resolve-path"
import { fileKind } from "./file-kind"
import { readLines } from "./read-lines"
import { notFoundMessage } from "./suggest"
import { recordSeen } from "./file-times"

export const DEFAULT_LIMIT = 2000
export const MAX_LINE_CHARS = 2000
export const MAX_OUTPUT_BYTES = 50 * 1024
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024

export const readTool = defineTool({
  id: "read",
  description: DESCRIPTION,
  parameters: t.Object({
    filePath: t.String({ description: "Path of the file to read (absolute, or relative to the project directory)" }),
    offset: t.Optional(t.Integer({ minimum: 1, description: "1-based line number to start reading from (default 1)" })),
    limit: t.Optional(t.Integer({ minimum: 1, description: `Number of lines to read (default ${DEFAULT_LIMIT})` })),
  }),
  async execute(args, ctx) {
    const file = await resolveToolPath(ctx, args.filePath, "Read a file")
    const shown = displayPath(ctx, file)
    let stat: fs.Stats
    try {
      stat = fs.statSync(file)
    } catch {
      throw new ToolError(await notFoundMessage(ctx, file))
    }
    if (stat.isDirectory()) throw new ToolError(`${shown} is a directory, not a file. Use the list or glob tool to see what it contains.`)
    if (!stat.isFile()) throw new ToolError(`${shown} is not a regular file (a device, socket or pipe) and cannot be read.`)

    const kind = fileKind(file)
    if (kind.kind === "image") return readImage(ctx, file, shown, kind.mime, stat.size)
    if (kind.kind === "binary")
      throw new ToolError(`Cannot read ${shown}: it is a binary file (${kind.reason}). Inspect it with bash (e.g. file, xxd, unzip -l) if you need to.`)

    const result = await readText(file, args.offset ?? 1, args.limit ?? DEFAULT_LIMIT, ctx.abort)
    recordSeen(ctx, file)
    return { title: shown, output: result.output, metadata: { preview: result.preview, truncated: result.truncated, lines: result.count } }
  },
})

function readImage(ctx: ToolContext, file: string, shown: string, mime: string, size: number): ToolResult {
  if (size > MAX_IMAGE_BYTES)
    throw new ToolError(`${shown} is an image of ${(size / 1048576).toFixed(1)} MB; images over ${MAX_IMAGE_BYTES / 1048576} MB cannot be attached.`)
  const data = fs.readFileSync(file).toString("base64")
  recordSeen(ctx, file)
  return {
    title: shown,
    output: `Image ${shown} (${mime}, ${size} bytes) is attached.`,
    metadata: { mime, size },
    attachments: [{ type: "file", mime, url: `data:${mime};base64,${data}`, filename: shown.split(/[\\/]/).pop() }],
  }
}

async function readText(file: string, offset: number, limit: number, signal: AbortSignal) {
  const out: string[] = []
  let bytes = 0
  let lineNo = 0
  let more = false
  let cappedBySize = false
  let cut = 0
  for await (const line of readLines(file, MAX_LINE_CHARS)) {
    if (signal.aborted) throw new ToolError("Read aborted")
    lineNo++
    if (lineNo < offset) continue
    if (out.length >= limit) {
      more = true
      break
    }
    let text = line.text
    if (line.length > text.length) {
      text += `… [line cut: ${line.length - text.length} more characters]`
      cut++
    }
    const rendered = `${String(lineNo).padStart(6)}\t${text}`
    const size = Buffer.byteLength(rendered) + 1
    if (bytes + size > MAX_OUTPUT_BYTES && out.length > 0) {
      more = cappedBySize = true
      break
    }
    bytes += size
    out.push(rendered)
  }
  if (lineNo === 0) return { output: "(The file is empty.)", preview: "", truncated: false, count: 0 }
  if (offset > lineNo) throw new ToolError(`offset ${offset} is past the end of the file, which has ${lineNo} lines.`)
  const last = offset + out.length - 1
  const notes: string[] = []
  if (more) {
    const why = cappedBySize ? `Output capped at ${MAX_OUTPUT_BYTES / 1024} KB. ` : ""
    notes.push(`(${why}Showing lines ${offset}-${last}; the file continues. Call read again with offset=${last + 1} to read more.)`)
  } else notes.push(`(End of file: ${lineNo} lines.)`)
  if (cut) notes.push(`(${cut} line${cut === 1 ? " was" : "s were"} longer than ${MAX_LINE_CHARS} characters and cut; use bash (e.g. cut -c or fold) to see them whole.)`)
  return { output: out.join("\n") + "\n\n" + notes.join("\n"), preview: out.slice(0, 20).join("\n"), truncated: more, count: out.length }
}
