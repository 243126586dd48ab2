import fs from "node:fs"
import path from "node:path"
import { t } from "../util/schema"
import DESCRIPTION from "./multiedit.txt" with { type: "text" }
import { defineTool, ToolError } from "./tool"
import { resolveToolPath, displayPath } from "./resolve-path"
import { afterEdit, diagnosticsNote } from "./after-edit"
import { assertUnchanged } from "./file-times"
import { describeChange } from "./diff"
import { replaceExact } from "./edit-replace"
import { notFoundMessage } from "./suggest"

const Edit = t.Object({
  oldString: t.String({ description: "The exact text to replace (empty in the first edit to create a new file)" }),
  newString: t.String({ description: "The text to put in its place" }),
  replaceAll: t.Optional(t.Boolean({ description: "Replace every occurrence of oldString (default false)" })),
})

export const multieditTool = defineTool({
  id: "multiedit",
  description: DESCRIPTION,
  parameters: t.Object({
    filePath: t.String({ description: "Path of the file to edit (absolute, or relative to the project directory)" }),
    edits: t.Array(Edit, { minItems: 1, description: "Replacements applied in order, all or none" }),
  }),
  async execute(args, ctx) {
    const file = await resolveToolPath(ctx, args.filePath, "Edit a file")
    const shown = displayPath(ctx, file)
    const creating = args.edits[0].oldString === ""
    const before = await current(file, shown, creating, () => notFoundMessage(ctx, file))
    if (before !== undefined) assertUnchanged(ctx, file)

    let content = before ?? ""
    let replacements = 0
    for (const [i, e] of args.edits.entries()) {
      const which = `Edit ${i + 1} of ${args.edits.length}`
      try {
        if (e.oldString === e.newString) throw new ToolError("oldString and newString are identical, so it would change nothing.")
        if (e.oldString === "") {
          if (i > 0 || content) throw new ToolError("an empty oldString only creates a new file, in the first edit, when the file is empty or missing.")
          content = e.newString
          continue
        }
        const r = replaceExact(content, e.oldString, e.newString, e.replaceAll ?? false)
        content = r.content
        replacements += r.count
      } catch (err) {
        if (!(err instanceof ToolError)) throw err
        throw new ToolError(`${which} failed, so no edit was applied to ${shown}: ${err.message}`)
      }
    }

    const change = describeChange(shown, before ?? "", content)
    await ctx.ask({ type: "edit", pattern: shown, title: `Edit ${shown}`, metadata: { filepath: file, diff: change.diff } })
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, content)
    } catch (e) {
      throw new ToolError(`Could not write ${shown}: ${(e as Error).message}`)
    }
    const diagnostics = await afterEdit(ctx, file)
    const what = before === undefined ? `Created ${shown}` : `Edited ${shown}`
    return {
      title: shown,
      output: `${what}: ${args.edits.length} edit${args.edits.length === 1 ? "" : "s"}, ${replacements} replacement${replacements === 1 ? "" : "s"}.${diagnosticsNote(diagnostics)}`,
      metadata: { filepath: file, diff: change.diff, filediff: change.filediff, replacements, diagnostics },
    }
  },
})

async function current(file: string, shown: string, creating: boolean, missing: () => Promise<string>): Promise<string | undefined> {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    if (creating) return undefined
    throw new ToolError(await missing())
  }
  if (stat.isDirectory()) throw new ToolError(`${shown} is a directory; give the path of a file inside it.`)
  return fs.readFileSync(file, "utf8")
}
