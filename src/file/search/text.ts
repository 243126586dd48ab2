import type { Instance } from "../../project/instance"
import { createLog } from "../../util/log"
import { rgPath } from "./rg-path"
import { runRipgrep } from "./rg-run"
import { searchTextWithWalker } from "./text-walker"
import { SearchPatternError, type LineMatch, type SearchTextOptions, type TextResult } from "./types"

const log = createLog("file.search")

/**
 * Regex search over the files under root that the ignore rules keep, hidden files included,
 * .git and binary files never: rg when it can run, else the walker with a JavaScript regex.
 */
export async function searchText(instance: Instance, root: string, pattern: string, opts: SearchTextOptions): Promise<TextResult> {
  const rg = opts.walker ? undefined : await rgPath()
  if (rg) {
    const result = await searchWithRipgrep(rg, root, pattern, opts)
    if (result) return result
  }
  return searchTextWithWalker(instance, root, pattern, opts)
}

/** The rg arguments of a text search; the benchmark runs the same ones directly. */
export function ripgrepTextArgs(pattern: string, opts: { perFile?: number; include?: string } = {}) {
  // `!.git` (no slash) keeps out every .git directory, nested repositories' too.
  const args = ["--json", "--hidden", "--no-messages", "--glob=!.git"]
  if (opts.perFile !== undefined) args.push(`--max-count=${opts.perFile}`)
  if (opts.include) args.push("--glob", opts.include)
  return [...args, "--regexp", pattern]
}

const PATTERN_ERROR = /regex parse error|error parsing|unclosed|unrecognized escape|look-around/i

/** Undefined when rg itself failed (then the caller falls back). */
async function searchWithRipgrep(rg: string, root: string, pattern: string, opts: SearchTextOptions): Promise<TextResult | undefined> {
  const matches: LineMatch[] = []
  const run = await runRipgrep(rg, ripgrepTextArgs(pattern, opts), {
    cwd: root,
    signal: opts.signal,
    onLine(line) {
      // Only match records matter; skip parsing begin/end/summary records.
      if (!line.startsWith('{"type":"match"')) return true
      matches.push(toMatch(JSON.parse(line).data))
      return matches.length <= opts.max
    },
  }).catch((e) => {
    log.warn("rg failed", { error: e })
    return undefined
  })
  if (!run) return undefined
  if (run.stopped) return { matches: matches.slice(0, opts.max), truncated: true }
  if (run.code === 0 || run.code === 1) return { matches, truncated: false }
  const reason = run.stderr.trim()
  if (PATTERN_ERROR.test(reason)) throw new SearchPatternError(reason.replace(/^rg: /, ""))
  // Exit 2 also means "some files were unreadable"; whatever matched is still an answer.
  if (matches.length) return { matches, truncated: false }
  log.warn("rg failed", { code: run.code, stderr: reason.slice(0, 500) })
  return undefined
}

type RgText = { text?: string; bytes?: string }

/** rg sends non-UTF-8 paths and lines as base64 `bytes`. */
function text(v: RgText | undefined): string {
  return v?.text ?? Buffer.from(v?.bytes ?? "", "base64").toString("utf8")
}

function toMatch(d: any): LineMatch {
  const p = text(d.path)
  return {
    path: p.startsWith("./") ? p.slice(2) : p,
    line: text(d.lines),
    lineNumber: d.line_number ?? 0,
    offset: d.absolute_offset ?? 0,
    submatches: (d.submatches ?? []).map((s: any) => ({ text: text(s.match), start: s.start, end: s.end })),
  }
}
