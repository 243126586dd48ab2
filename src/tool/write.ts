import fs from "node:fs"
import path from "node:path"
import { t } from "../util/schema"
import DESCRIPTION from "./write.txt" with { type: "text" }
import { defineTool, ToolError } from "./tool"
import { resolveToolPath, displayPath } from "./resolve-path"
import { assertUnchanged } from "./file-times"
import { afterEdit, diagnosticsNote } from "./after-edit"
import { describeChange } from "./diff"

export const writeTool = defineTool({
  id: "write",
  description: DESCRIPTION,
  parameters: t.Object({
    filePath: t.String({ description: "Path of the file to write (absolute, or relative to the project directory)" }),
    content: t.String({ description: "The complete new content of the file" }),
  }),
  async execute(args, ctx) {
    const file = await resolveToolPath(ctx, args.filePath, "Write a file")
    const shown = displayPath(ctx, file)
    const existing = readIfFile(file, shown)
    if (existing !== undefined) assertUnchanged(ctx, file)
    const change = describeChange(shown, existing ?? "", args.content)
    await ctx.ask({
      type: "edit",
      pattern: shown,
      title: `${existing === undefined ? "Create" : "Overwrite"} ${shown}`,
      metadata: { filepath: file, diff: change.diff },
    })
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, args.content)
    } catch (e) {
      throw new ToolError(`Could not write ${shown}: ${(e as Error).message}`)
    }
    const diagnostics = await afterEdit(ctx, file)
    const verb = existing === undefined ? "Created" : "Overwrote"
    return {
      title: shown,
      output: `${verb} ${shown} (${lineCount(args.content)} lines).${diagnosticsNote(diagnostics)}`,
      metadata: { filepath: file, exists: existing !== undefined, diff: change.diff, filediff: change.filediff, diagnostics },
    }
  },
})

function readIfFile(file: string, shown: string): string | undefined {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    return undefined
  }
  if (stat.isDirectory()) throw new ToolError(`${shown} is a directory; give the path of a file inside it.`)
  return fs.readFileSync(file, "utf8")
}

function lineCount(s: string) {
  if (!s) return 0
  return s.split("\n").length - (s.endsWith("\n") ? 1 : 0)
}
