import fs from "node:fs/promises"
import path from "node:path"
import type { Instance } from "../../project/instance"
import { globMatcher } from "./glob"
import { rulesFor } from "./rules"
import { SearchPatternError, type LineMatch, type SearchTextOptions, type TextResult } from "./types"
import { walk } from "./walk"

/** Files past this are skipped: the walker reads whole files, unlike rg's streaming. */
const MAX_FILE_BYTES = 16 * 1024 * 1024
/** rg's binary check looks for a NUL byte near the start of a file. */
const BINARY_PROBE_BYTES = 8192

/**
 * The text search used when no rg can run: the same walk rules (ignore files respected,
 * hidden included, .git and symlinks skipped), binary files skipped as rg does, and the same
 * match shape with byte offsets. The pattern is a JavaScript regex, which agrees with rg's
 * syntax for everything but a few exotic constructs.
 */
export async function searchTextWithWalker(instance: Instance, root: string, pattern: string, opts: SearchTextOptions): Promise<TextResult> {
  const regex = compile(pattern)
  const include = opts.include ? globMatcher(opts.include) : undefined
  const perFile = opts.perFile ?? Infinity
  const out: LineMatch[] = []
  for await (const entry of walk(root, rulesFor(instance, root))) {
    if (opts.signal?.aborted) break
    if (entry.dir || (include && !include(entry.rel))) continue
    const abs = path.join(root, entry.rel)
    const stat = await fs.stat(abs).catch(() => undefined)
    if (!stat || stat.size > MAX_FILE_BYTES) continue
    const bytes = await fs.readFile(abs).catch(() => undefined)
    if (!bytes || bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) continue
    if (!searchFile(entry.rel, bytes.toString("utf8"), regex, perFile, opts.max, out)) return { matches: out, truncated: true }
  }
  return { matches: out, truncated: false }
}

// "m" so that ^ and $ mean line start and end, as in rg, both in the whole-file probe and per line.
function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "gmu")
  } catch {}
  try {
    return new RegExp(pattern, "gm")
  } catch (e) {
    throw new SearchPatternError((e as Error).message)
  }
}

/** Appends the file's matching lines to out; false when `max` was passed (out then holds max). */
function searchFile(rel: string, content: string, regex: RegExp, perFile: number, max: number, out: LineMatch[]): boolean {
  regex.lastIndex = 0
  if (!regex.test(content)) return true
  let offset = 0
  let found = 0
  let lineNumber = 0
  for (let start = 0; start < content.length && found < perFile; ) {
    const nl = content.indexOf("\n", start)
    const end = nl === -1 ? content.length : nl + 1
    const line = content.slice(start, end)
    const body = nl === -1 ? line : line.slice(0, -1)
    lineNumber++
    const submatches: LineMatch["submatches"] = []
    regex.lastIndex = 0
    for (let m = regex.exec(body); m; m = regex.exec(body)) {
      if (m[0] === "") {
        regex.lastIndex++
        continue
      }
      const from = Buffer.byteLength(body.slice(0, m.index))
      submatches.push({ text: m[0], start: from, end: from + Buffer.byteLength(m[0]) })
    }
    if (submatches.length) {
      if (out.length >= max) return false
      out.push({ path: rel, line, lineNumber, offset, submatches })
      found++
    }
    offset += Buffer.byteLength(line)
    start = end
  }
  return true
}
