import type { Instance } from "../project/instance"
import { BadRequestError } from "../util/error"
import { SearchPatternError, searchText } from "./search"
import type { TextMatch } from "./schema"

/** The real server passes --max-count=10: at most ten matching lines per file. */
export const MAX_LINES_PER_FILE = 10
/** A bound the real server lacks: a one-letter pattern over a large tree would otherwise build a response of hundreds of megabytes. */
export const MAX_MATCHES = 1000

/**
 * Text search across the project (/find), in ripgrep's --json match shape: .gitignore
 * respected, hidden files searched, .git never. An invalid pattern is a 400 carrying the
 * regex engine's reason.
 */
export async function findText(instance: Instance, pattern: string, opts: { walker?: boolean } = {}): Promise<TextMatch[]> {
  if (!pattern) throw new BadRequestError("pattern must not be empty", "Query")
  try {
    const { matches } = await searchText(instance, instance.directory, pattern, { perFile: MAX_LINES_PER_FILE, max: MAX_MATCHES, walker: opts.walker })
    return matches.map((m) => ({
      path: { text: m.path },
      lines: { text: m.line },
      line_number: m.lineNumber,
      absolute_offset: m.offset,
      submatches: m.submatches.map((s) => ({ match: { text: s.text }, start: s.start, end: s.end })),
    }))
  } catch (e) {
    if (e instanceof SearchPatternError) throw new BadRequestError(e.message, "Query")
    throw e
  }
}
