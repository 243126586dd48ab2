import fs from "node:fs"
import path from "node:path"
import { t } from "../util/schema"
import DESCRIPTION from "./patch.txt" with { type: "text" }
import { defineTool, ToolError, type ToolContext } from "./tool"
import { resolveToolPath, displayPath } from "./resolve-path"
import { afterEdit } from "./after-edit"
import { assertUnchanged } from "./file-times"
import { describeChange } from "./diff"
import { notFoundMessage } from "./suggest"
import { isBeginPatch, parseBeginPatch } from "./patch-parse"
import { applyChunks } from "./patch-apply"
import { looksUnified, parseUnified } from "./patch-unified"

type Op =
  | { kind: "add"; path: string; content: string }
  | { kind: "delete"; path: string }
  | { kind: "update"; path: string; moveTo?: string; apply: (before: string, shown: string) => string }

/** One file's fate: its content before the patch and after it (undefined: absent). */
type Outcome = { file: string; before?: string; after?: string }

export const patchTool = defineTool({
  id: "patch",
  description: DESCRIPTION,
  parameters: t.Object({
    patchText: t.String({ description: 'The whole patch, from "*** Begin Patch" to "*** End Patch" (or a unified diff)' }),
  }),
  async execute(args, ctx) {
    const ops = parse(args.patchText)
    const outcomes = await plan(ctx, ops)
    const changed = outcomes.filter((o) => o.before !== o.after)
    if (!changed.length) throw new ToolError("The patch would not change any file.")

    const described = changed.map((o) => ({ ...o, shown: displayPath(ctx, o.file), change: describeChange(displayPath(ctx, o.file), o.before ?? "", o.after ?? "") }))
    for (const d of described)
      await ctx.ask({ type: "edit", pattern: d.shown, title: `${verb(d)} ${d.shown}`, metadata: { filepath: d.file, diff: d.change.diff } })

    writeAll(changed)
    const notes: string[] = []
    for (const d of described) {
      if (d.after === undefined) continue
      const diagnostics = await afterEdit(ctx, d.file)
      if (diagnostics) notes.push(`${d.shown}:\n${diagnostics}`)
    }
    const lines = described.map((d) => `${letter(d)} ${d.shown}`)
    return {
      title: described.length === 1 ? described[0].shown : `${described.length} files`,
      output:
        `Applied the patch:\n${lines.join("\n")}` +
        (notes.length ? `\n\nThe language server reports problems; fix them:\n${notes.join("\n\n")}` : ""),
      metadata: {
        diff: described.map((d) => d.change.diff).join("\n"),
        files: described.map((d) => ({ filepath: d.file, type: verb(d).toLowerCase(), additions: d.change.filediff.additions, deletions: d.change.filediff.deletions })),
        diagnostics: notes.join("\n\n"),
      },
    }
  },
})

function parse(text: string): Op[] {
  if (isBeginPatch(text))
    return parseBeginPatch(text).map((h): Op => (h.kind === "update" ? { kind: "update", path: h.path, moveTo: h.moveTo, apply: (before, shown) => applyChunks(before, h.chunks, shown) } : h))
  if (looksUnified(text)) return parseUnified(text)
  throw new ToolError('The patch must use the "*** Begin Patch" ... "*** End Patch" format (or be a unified diff). See the tool description.')
}

/** Works out every file's final content in memory; throws before anything is written. */
async function plan(ctx: ToolContext, ops: Op[]): Promise<Outcome[]> {
  const state = new Map<string, Outcome>()
  const load = (file: string): Outcome => {
    let o = state.get(file)
    if (!o) {
      const content = readText(ctx, file)
      if (content !== undefined) assertUnchanged(ctx, file)
      state.set(file, (o = { file, before: content, after: content }))
    }
    return o
  }
  for (const op of ops) {
    const file = await resolveToolPath(ctx, op.path, "Patch a file")
    const shown = displayPath(ctx, file)
    const o = load(file)
    if (op.kind === "add") {
      if (o.after !== undefined) throw new ToolError(`Cannot add ${shown}: it already exists. Use "*** Update File: ${op.path}" to change it.`)
      o.after = op.content
      continue
    }
    if (o.after === undefined) throw new ToolError(`Cannot ${op.kind} ${shown}. ${await notFoundMessage(ctx, file)}`)
    if (op.kind === "delete") {
      o.after = undefined
      continue
    }
    const next = op.apply(o.after, shown)
    if (!op.moveTo) {
      o.after = next
      continue
    }
    const target = await resolveToolPath(ctx, op.moveTo, "Move a file")
    const t = load(target)
    if (target !== file && t.after !== undefined) throw new ToolError(`Cannot move ${shown} to ${displayPath(ctx, target)}: the destination exists.`)
    o.after = undefined
    t.after = next
  }
  return [...state.values()]
}

function readText(ctx: ToolContext, file: string): string | undefined {
  let buf: Buffer
  try {
    const st = fs.statSync(file)
    if (st.isDirectory()) throw new ToolError(`${displayPath(ctx, file)} is a directory, not a file.`)
    buf = fs.readFileSync(file)
  } catch (e) {
    if (e instanceof ToolError) throw e
    return undefined
  }
  try {
    if (buf.includes(0)) throw new Error("binary")
    return new TextDecoder("utf-8", { fatal: true }).decode(buf)
  } catch {
    throw new ToolError(`${displayPath(ctx, file)} is not a UTF-8 text file; the patch tool only changes text files.`)
  }
}

/** Writes every outcome; if one write fails, the ones already done are put back. */
function writeAll(outcomes: Outcome[]) {
  const done: Outcome[] = []
  try {
    for (const o of outcomes) {
      if (o.after === undefined) fs.rmSync(o.file, { force: true })
      else {
        fs.mkdirSync(path.dirname(o.file), { recursive: true })
        fs.writeFileSync(o.file, o.after)
      }
      done.push(o)
    }
  } catch (e) {
    for (const o of done.reverse()) {
      try {
        if (o.before === undefined) fs.rmSync(o.file, { force: true })
        else fs.writeFileSync(o.file, o.before)
      } catch {}
    }
    throw new ToolError(`Writing the patch failed, so no file was changed: ${(e as Error).message}`)
  }
}

function verb(o: Outcome) {
  return o.before === undefined ? "Create" : o.after === undefined ? "Delete" : "Update"
}

function letter(o: Outcome) {
  return o.before === undefined ? "A" : o.after === undefined ? "D" : "M"
}
