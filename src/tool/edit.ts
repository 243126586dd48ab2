import fs from "node:fs"
import path from "node:path"
import { t } from "../util/schema"
import DESCRIPTION from "./edit.txt" with { type: "text" }
import { defineTool, ToolError, type ToolContext } from "./tool"
import { resolveToolPath, displayPath } from "./resolve-path"
import { afterEdit, diagnosticsNote } from "./after-edit"
import { describeChange } from "./diff"
import { replaceExact } from "./edit-replace"
import { notFoundMessage } from "./suggest"

export const editTool = defineTool({
  id: "edit",
  description: DESCRIPTION,
  parameters: t.Object({
    filePath: t.String({ description: "Path of the file to edit (absolute, or relative to the project directory)" }),
    oldString: t.String({ description: "The exact text to replace (empty to create a new file)" }),
    newString: t.String({ description: "The text to put in its place" }),
    replaceAll: t.Optional(t.Boolean({ description: "Replace every occurrence of oldString (default false)" })),
  }),
  async execute(args, ctx) {
    if (args.oldString === args.newString) throw new ToolError("oldString and newString are identical, so the edit would change nothing.")
    const file = await resolveToolPath(ctx, args.filePath, "Edit a file")
    const shown = displayPath(ctx, file)
    const before = await currentContent(ctx, file, shown, args.oldString === "")
    let after: string
    let count = 1
    if (args.oldString === "") {
      if (before) throw new ToolError(`${shown} already has content; an empty oldString only creates new files. Give the text to replace, or use write to replace the whole file.`)
      after = args.newString
    } else ({ content: after, count } = replaceExact(before, args.oldString, args.newString, args.replaceAll ?? false))

    const change = describeChange(shown, before, after)
    await ctx.ask({ type: "edit", pattern: shown, title: `Edit ${shown}`, metadata: { filepath: file, diff: change.diff } })
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, after)
    } catch (e) {
      throw new ToolError(`Could not write ${shown}: ${(e as Error).message}`)
    }
    const diagnostics = await afterEdit(ctx, file)
    const what = args.oldString === "" ? `Created ${shown}.` : `Edited ${shown}: ${count} replacement${count === 1 ? "" : "s"}.`
    return {
      title: shown,
      output: what + diagnosticsNote(diagnostics),
      metadata: { filepath: file, diff: change.diff, filediff: change.filediff, replacements: count, diagnostics },
    }
  },
})

async function currentContent(ctx: ToolContext, file: string, shown: string, creating: boolean) {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    if (creating) return ""
    throw new ToolError(await notFoundMessage(ctx, file))
  }
  if (stat.isDirectory()) throw new ToolError(`${shown} is a directory; give the path of a file inside it.`)
  return fs.readFileSync(file, "utf8")
}
