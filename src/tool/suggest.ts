import fs from "node:fs"
import path from "node:path"
import { listFiles } from "../file/search"
import { displayPath } from "./resolve-path"
import type { ToolContext } from "./tool"

/** The error text for a path that does not exist, naming up to three close files. */
export async function notFoundMessage(ctx: ToolContext, absolute: string): Promise<string> {
  const names = await suggest(ctx, absolute)
  const base = `File not found: ${displayPath(ctx, absolute)}`
  return names.length ? `${base}\nDid you mean one of these?\n${names.map((n) => "  " + n).join("\n")}` : base
}

async function suggest(ctx: ToolContext, absolute: string): Promise<string[]> {
  const dir = path.dirname(absolute)
  const wanted = path.basename(absolute).toLowerCase()
  let siblings: string[] = []
  try {
    siblings = fs.readdirSync(dir)
  } catch {}
  const close = siblings
    .map((name) => ({ name, score: closeness(wanted, name.toLowerCase()) }))
    .filter((c) => c.score !== undefined)
    .sort((a, b) => a.score! - b.score!)
    .slice(0, 3)
    .map((c) => displayPath(ctx, path.join(dir, c.name)))
  if (close.length) return close
  // Same name elsewhere in the project: the model often guesses the wrong folder.
  const root = ctx.instance.directory
  const found = await listFiles(ctx.instance, root, { glob: path.basename(absolute), max: 3, signal: ctx.abort }).catch(() => undefined)
  return (found?.files ?? []).map((rel) => displayPath(ctx, path.join(root, rel)))
}

function closeness(wanted: string, name: string): number | undefined {
  if (name === wanted) return 0
  const stem = (s: string) => s.replace(/\.[^.]*$/, "")
  if (stem(name) === stem(wanted) || name.startsWith(wanted) || wanted.startsWith(name)) return 1
  const d = distance(wanted, name)
  return d <= Math.max(2, Math.floor(wanted.length / 4)) ? 1 + d : undefined
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]
}
