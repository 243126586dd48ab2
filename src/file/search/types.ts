/** One matching line in ripgrep's --json shape; `path` is relative to the search root. */
export type LineMatch = {
  path: string
  /** The whole line, its line ending included. */
  line: string
  lineNumber: number
  /** Byte offset of the line in its file. */
  offset: number
  /** Byte ranges within the line. */
  submatches: Array<{ text: string; start: number; end: number }>
}

export type SearchTextOptions = {
  /** Matching lines kept per file (rg's --max-count); every one by default. */
  perFile?: number
  /** Stop after this many matches (the result then says truncated). */
  max: number
  /** Only files matching this glob (rg's --glob). */
  include?: string
  signal?: AbortSignal
  /** Skip rg and use the walker (the fallback's own tests compare the two). */
  walker?: boolean
}

export type TextResult = { matches: LineMatch[]; truncated: boolean }

/** A pattern neither rg nor the JavaScript regex engine accepts; `reason` is the engine's. */
export class SearchPatternError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid search pattern: ${reason}`)
  }
}
