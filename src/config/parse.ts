import fs from "node:fs"
import path from "node:path"
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser"
import type { ConfigIssue } from "./error"
import { agentFromMarkdown, commandFromMarkdown, parseMarkdown } from "./markdown"
import type { Source } from "./sources"
import { substitute } from "./substitute"
import { unknownKeys, validateConfig } from "./validate"

export type Parsed = { value: Record<string, any>; issues: ConfigIssue[]; unknown: string[] }

/** Reads one source into a partial config, collecting every problem instead of throwing. */
export function parseSource(source: Source): Parsed {
  const issues: ConfigIssue[] = []
  let value: Record<string, any>
  if (source.kind === "markdown") {
    let text: string
    try {
      text = fs.readFileSync(source.file, "utf8")
    } catch (e: any) {
      return { value: {}, issues: [{ path: "", message: `cannot read: ${e?.code ?? e?.message}` }], unknown: [] }
    }
    const doc = parseMarkdown(text, issues)
    const entry = source.section === "command" ? commandFromMarkdown(doc) : agentFromMarkdown(doc)
    value = { [source.section]: { [source.name]: entry } }
  } else {
    let text: string
    try {
      text = source.kind === "inline" ? source.text : fs.readFileSync(source.file, "utf8")
    } catch (e: any) {
      return { value: {}, issues: [{ path: "", message: `cannot read: ${e?.code ?? e?.message}` }], unknown: [] }
    }
    return parseConfigText(text, source.kind === "inline" ? process.cwd() : path.dirname(source.file))
  }
  issues.push(...validateConfig(value))
  return { value, issues, unknown: unknownKeys(value) }
}

/** A JSON(C) config file's text: parsed, substituted ({env:}, {file:} relative to baseDir), validated. */
export function parseConfigText(text: string, baseDir: string): Parsed {
  const issues: ConfigIssue[] = []
  const raw = parseJsonText(text, issues)
  if (issues.length) return { value: {}, issues, unknown: [] }
  const value = substitute(raw, baseDir, issues) as Record<string, any>
  issues.push(...validateConfig(value))
  return { value, issues, unknown: unknownKeys(value) }
}

/** JSONC: comments and trailing commas allowed; syntax errors reported with line and column. */
export function parseJsonText(text: string, issues: ConfigIssue[]): Record<string, any> {
  const errors: ParseError[] = []
  const raw = text.trim() ? parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false }) : {}
  for (const e of errors.slice(0, 5)) {
    const { line, column } = position(text, e.offset)
    issues.push({ path: "", message: `line ${line}, column ${column}: ${printParseErrorCode(e.error)}` })
  }
  if (errors.length) return {}
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    issues.push({ path: "", message: "the top level must be a JSON object" })
    return {}
  }
  return raw
}

function position(text: string, offset: number) {
  const before = text.slice(0, offset)
  const line = before.split("\n").length
  return { line, column: offset - before.lastIndexOf("\n") }
}
