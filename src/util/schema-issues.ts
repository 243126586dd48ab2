import { Value, type ValueError, ValueErrorType } from "@sinclair/typebox/value"
import type { TSchema } from "./schema"

// Turns TypeBox's validation errors into "field: what is wrong" for people: unions name their
// allowed literals or report the closest variant's problem instead of "Expected union value".
// Used for config files and for every request body the server validates.

export type SchemaIssue = { path: string; message: string }

/** Problems as "field: what is wrong", one per field, most specific first. */
export function schemaIssues(schema: TSchema, value: unknown, limit = 20): SchemaIssue[] {
  const issues: SchemaIssue[] = []
  const seen = new Set<string>()
  for (const e of Value.Errors(schema, value)) {
    const issue = explain(e)
    if (seen.has(issue.path)) continue
    seen.add(issue.path)
    issues.push(issue)
    if (issues.length >= limit) break
  }
  return issues
}

export function explain(e: ValueError): SchemaIssue {
  if (e.type === ValueErrorType.Union) {
    const literals = literalChoices(e.schema)
    if (literals) return { path: dotted(e.path), message: `expected one of ${literals.map((l) => JSON.stringify(l)).join(", ")}, got ${show(e.value)}` }
    // For a union of object shapes (mcp local | remote), report the closest variant's problem.
    // Prefer variants of the value's own JSON type: {"edit": "maybe"} is a bad object, not a bad string.
    let best: { errors: ValueError[]; fits: boolean } | undefined
    e.errors.forEach((it, i) => {
      const errors = [...it]
      const fits = fitsType(e.schema.anyOf?.[i], e.value)
      if (!best || (fits && !best.fits) || (fits === best.fits && errors.length < best.errors.length)) best = { errors, fits }
    })
    if (best?.errors.length) return explain(best.errors[0])
  }
  if (e.type === ValueErrorType.ObjectRequiredProperty) return { path: dotted(e.path), message: "is required" }
  if (e.type === ValueErrorType.StringPattern && e.schema.description)
    return { path: dotted(e.path), message: `expected ${e.schema.description}, got ${show(e.value)}` }
  return { path: dotted(e.path), message: `${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}, got ${show(e.value)}` }
}

function fitsType(schema: any, value: unknown): boolean {
  const kind = Array.isArray(value) ? "array" : value === null ? "null" : typeof value === "number" ? "number" : typeof value
  if (schema?.anyOf) return schema.anyOf.some((s: any) => fitsType(s, value))
  if ("const" in (schema ?? {})) return typeof schema.const === kind
  const type = schema?.type === "integer" ? "number" : schema?.type
  return type === undefined || type === kind
}

function literalChoices(schema: any): unknown[] | undefined {
  const items = schema?.anyOf
  if (!Array.isArray(items) || !items.every((s: any) => "const" in s)) return undefined
  return items.map((s: any) => s.const)
}

function dotted(p: string) {
  return p.replace(/^\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).join(".")
}

function show(v: unknown) {
  if (v === undefined) return "nothing"
  const s = JSON.stringify(v)
  return s && s.length > 60 ? s.slice(0, 57) + "..." : s
}
