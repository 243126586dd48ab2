import fs from "node:fs"
import type { ToolContext } from "./tool"
import { ToolError } from "./tool"
import { displayPath } from "./resolve-path"

// What each session last saw of a file (its mtime when read or written by a tool), so a
// write never silently clobbers changes made after the model read the file.
type Seen = Map<string, Map<string, number>>

function seen(ctx: ToolContext): Map<string, number> {
  const all = ctx.instance.state<Seen>("tool.file-times", () => new Map())
  let mine = all.get(ctx.sessionID)
  if (!mine) all.set(ctx.sessionID, (mine = new Map()))
  return mine
}

export function recordSeen(ctx: ToolContext, absolute: string) {
  const mtime = mtimeOf(absolute)
  if (mtime !== undefined) seen(ctx).set(absolute, mtime)
}

/** Throws when the file changed on disk since this session last read or wrote it. */
export function assertUnchanged(ctx: ToolContext, absolute: string) {
  const last = seen(ctx).get(absolute)
  if (last === undefined) return
  const now = mtimeOf(absolute)
  if (now !== undefined && now !== last)
    throw new ToolError(
      `${displayPath(ctx, absolute)} was modified since you last read it. Read it again before changing it, so no one else's changes are lost.`,
    )
}

function mtimeOf(p: string): number | undefined {
  try {
    return fs.statSync(p).mtimeMs
  } catch {
    return undefined
  }
}
