import fs from "node:fs/promises"
import path from "node:path"
import type { Instance } from "../project/instance"
import { BadRequestError } from "../util/error"
import { IgnoreRules } from "./ignore"
import { walk } from "./walk"
import type { TextMatch } from "./schema"

/** Files past this are skipped: the walker reads whole files, unlike rg's streaming. */
const MAX_FILE_BYTES = 16 * 1024 * 1024

/**
 * The search used when no rg binary can run: the same walk rules (ignore files respected,
 * hidden included, .git and symlinks skipped), binary files skipped as rg does, and the
 * same match shape with byte offsets. The pattern is a JavaScript regex, which agrees with
 * rg's syntax for everything but a few exotic constructs.
 */
export async function searchWithoutRipgrep(instance: Instance, pattern: string, limits: { perFile: number; total: number }): Promise<TextMatch[]> {
  const regex = compile(pattern)
  const out: TextMatch[] = []
  for await (const entry of walk(instance.directory, IgnoreRules.of(instance))) {
    if (entry.dir) continue
    const abs = path.join(instance.directory, entry.rel)
    const stat = await fs.stat(abs).catch(() => undefined)
    if (!stat || stat.size > MAX_FILE_BYTES) continue
    const bytes = await fs.readFile(abs).catch(() => undefined)
    if (!bytes || bytes.subarray(0, 8000).includes(0)) continue
    searchFile(entry.rel, bytes.toString("utf8"), regex, Math.min(limits.perFile, limits.total - out.length), out)
    if (out.length >= limits.total) break
  }
  return out
}

function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "gu")
  } catch {}
  try {
    return new RegExp(pattern, "g")
  } catch (e) {
    throw new BadRequestError(`Invalid search pattern: ${(e as Error).message}`, "Query")
  }
}

function searchFile(rel: string, content: string, regex: RegExp, max: number, out: TextMatch[]) {
  regex.lastIndex = 0
  if (!regex.test(content)) return
  let offset = 0
  let found = 0
  let lineNumber = 0
  for (let start = 0; start < content.length && found < max; ) {
    const nl = content.indexOf("\n", start)
    const end = nl === -1 ? content.length : nl + 1
    const line = content.slice(start, end)
    const body = nl === -1 ? line : line.slice(0, -1)
    lineNumber++
    const submatches: TextMatch["submatches"] = []
    regex.lastIndex = 0
    for (let m = regex.exec(body); m; m = regex.exec(body)) {
      if (m[0] === "") {
        regex.lastIndex++
        continue
      }
      const from = Buffer.byteLength(body.slice(0, m.index))
      submatches.push({ match: { text: m[0] }, start: from, end: from + Buffer.byteLength(m[0]) })
    }
    if (submatches.length) {
      out.push({ path: { text: rel }, lines: { text: line }, line_number: lineNumber, absolute_offset: offset, submatches })
      found++
    }
    offset += Buffer.byteLength(line)
    start = end
  }
}
