import fs from "node:fs"
import path from "node:path"
import type { Instance } from "../project/instance"
import { walk } from "../file/walk"
import { ToolError } from "./tool"
import { ripgrepPath, runRipgrep } from "./ripgrep"
import { globMatcher } from "./find-files"
import { ignoreRulesFor } from "./ignore-rules"

export type GrepMatch = { file: string; line: number; text: string }
export type GrepOptions = { include?: string; max: number; signal?: AbortSignal }
export type GrepResult = { matches: GrepMatch[]; truncated: boolean }

/** Regex search over the files under root that the ignore rules keep: ripgrep, else a JS walk. */
export async function grepFiles(instance: Instance, root: string, pattern: string, opts: GrepOptions): Promise<GrepResult> {
  const rg = await ripgrepPath()
  if (rg) {
    const result = await grepWithRipgrep(rg, root, pattern, opts).catch((e) => {
      if (e instanceof ToolError) throw e
      return undefined
    })
    if (result) return result
  }
  return grepWithWalker(instance, root, pattern, opts)
}

async function grepWithRipgrep(rg: string, root: string, pattern: string, opts: GrepOptions): Promise<GrepResult | undefined> {
  const args = ["--json", "--hidden", "--no-messages", "--glob=!.git"]
  if (opts.include) args.push("--glob", opts.include)
  args.push("--regexp", pattern, ".")
  const matches: GrepMatch[] = []
  const run = await runRipgrep(rg, args, {
    cwd: root,
    signal: opts.signal,
    onLine(line) {
      if (!line.startsWith('{"type":"match"')) return true
      const data = JSON.parse(line).data
      const file = data.path.text ?? Buffer.from(data.path.bytes, "base64").toString()
      const text = data.lines.text ?? Buffer.from(data.lines.bytes, "base64").toString()
      matches.push({ file: path.join(root, file), line: data.line_number, text: text.replace(/\r?\n$/, "") })
      return matches.length <= opts.max
    },
  })
  if (run.stopped) return { matches: matches.slice(0, opts.max), truncated: true }
  if (run.code === 0 || run.code === 1) return { matches, truncated: false }
  if (/regex parse error|error parsing/i.test(run.stderr)) throw new ToolError(`Invalid regular expression: ${run.stderr.replace(/^rg: /, "").trim()}`)
  // Exit 2 with results means some files could not be read; the results still stand.
  return matches.length ? { matches, truncated: false } : undefined
}

/** Past this the walker skips a file: it reads whole files, unlike rg's streaming. */
const MAX_FILE_BYTES = 10 * 1024 * 1024

export async function grepWithWalker(instance: Instance, root: string, pattern: string, opts: GrepOptions): Promise<GrepResult> {
  let regex: RegExp
  try {
    regex = new RegExp(pattern)
  } catch (e) {
    throw new ToolError(`Invalid regular expression: ${(e as Error).message}`)
  }
  const include = opts.include ? globMatcher(opts.include) : undefined
  const matches: GrepMatch[] = []
  for await (const entry of walk(root, ignoreRulesFor(instance, root))) {
    if (opts.signal?.aborted) break
    if (entry.dir || (include && !include(entry.rel))) continue
    const file = path.join(root, entry.rel)
    let buf: Buffer
    try {
      if (fs.statSync(file).size > MAX_FILE_BYTES) continue
      buf = fs.readFileSync(file)
    } catch {
      continue
    }
    if (buf.subarray(0, 8192).includes(0)) continue
    const lines = buf.toString("utf8").split(/\r?\n/)
    for (let i = 0; i < lines.length; i++) {
      if (!regex.test(lines[i])) continue
      if (matches.length === opts.max) return { matches, truncated: true }
      matches.push({ file, line: i + 1, text: lines[i] })
    }
  }
  return { matches, truncated: false }
}
