import type { Instance } from "../project/instance"
import { BadRequestError } from "../util/error"
import { createLog } from "../util/log"
import { rgPath } from "./ripgrep"
import { searchWithoutRipgrep } from "./search-fallback"
import type { TextMatch } from "./schema"

const log = createLog("file.search")

/** The real server passes --max-count=10: at most ten matching lines per file. */
export const MAX_LINES_PER_FILE = 10
/** A bound the real server lacks: a one-letter pattern over a large tree would otherwise build a response of hundreds of megabytes. */
export const MAX_MATCHES = 1000

/**
 * Text search across the project, in ripgrep's --json match shape: .gitignore respected,
 * hidden files searched, .git never. Uses rg when one can run, else the built-in search.
 * An invalid pattern is a 400 carrying the regex engine's reason.
 */
export async function findText(instance: Instance, pattern: string): Promise<TextMatch[]> {
  if (!pattern) throw new BadRequestError("pattern must not be empty", "Query")
  const rg = await rgPath()
  if (rg) {
    const result = await searchWithRipgrep(rg, instance.directory, pattern)
    if (result) return result
  }
  return searchWithoutRipgrep(instance, pattern, { perFile: MAX_LINES_PER_FILE, total: MAX_MATCHES })
}

/**
 * The real server's rg arguments, except that `!.git` (no slash) keeps out every .git
 * directory, nested repositories' too, where its `!.git/*` only covers the top one.
 */
export function ripgrepSearchArgs(pattern: string) {
  return ["--json", "--hidden", "--glob=!.git", `--max-count=${MAX_LINES_PER_FILE}`, "--", pattern]
}

/** Undefined when rg itself could not run (then the caller falls back). */
async function searchWithRipgrep(rg: string, cwd: string, pattern: string): Promise<TextMatch[] | undefined> {
  const args = ripgrepSearchArgs(pattern)
  let proc: ReturnType<typeof Bun.spawn<"ignore", "pipe", "pipe">>
  try {
    proc = Bun.spawn([rg, ...args], { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  } catch (e) {
    log.warn("rg failed to start", { error: e })
    return undefined
  }
  const stderr = new Response(proc.stderr).text()
  const matches: TextMatch[] = []
  let full = false
  const decoder = new TextDecoder()
  const reader = proc.stdout.getReader()
  let rest = ""
  read: while (true) {
    const { value, done } = await reader.read()
    if (done) break
    const lines = (rest + decoder.decode(value, { stream: true })).split("\n")
    rest = lines.pop()!
    for (const line of lines) {
      // Only match records matter; skip parsing begin/end/summary records.
      if (!line.startsWith('{"type":"match"')) continue
      matches.push(toMatch(JSON.parse(line).data))
      if (matches.length >= MAX_MATCHES) {
        full = true
        proc.kill()
        break read
      }
    }
  }
  const code = await proc.exited
  if (full || code === 0 || code === 1) return matches
  const reason = (await stderr).trim()
  if (/regex parse error|error parsing|unclosed|unrecognized escape|look-around/i.test(reason))
    throw new BadRequestError(`Invalid search pattern: ${reason.replace(/^rg: /, "")}`, "Query")
  // Exit 2 also means "some files were unreadable"; whatever matched is still an answer.
  if (matches.length) return matches
  log.warn("rg failed", { code, stderr: reason.slice(0, 500) })
  return undefined
}

type RgText = { text?: string; bytes?: string }

/** rg sends non-UTF-8 paths and lines as base64 `bytes`; clients expect `text`. */
function text(v: RgText): { text: string } {
  return { text: v.text ?? Buffer.from(v.bytes ?? "", "base64").toString("utf8") }
}

function toMatch(d: any): TextMatch {
  return {
    path: text(d.path),
    lines: text(d.lines),
    line_number: d.line_number ?? 0,
    absolute_offset: d.absolute_offset ?? 0,
    submatches: (d.submatches ?? []).map((s: any) => ({ match: text(s.match), start: s.start, end: s.end })),
  }
}
