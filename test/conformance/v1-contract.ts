// Validates wire bodies against the v1 SDK's declared types (fixtures/v1-schemas.json, generated
// from the SDK's .d.ts by generate.ts). Extra properties pass; missing required fields, wrong
// types and values outside an enum fail.

import Ajv from "ajv"
import document from "./fixtures/v1-schemas.json"

export type Mismatch = { where: string; errors: string[] }

const ajv = new Ajv({ allErrors: true, strict: false })
ajv.addSchema(document as any)

const defs = (document as any).definitions as Record<string, any>
export const operations: string[] = (document as any).operations

// Event members by their `type` constant, so a bad event reports against its own member rather
// than as a failed match of a 30-way union.
const eventMembers = new Map<string, string>()
for (const member of defs.Event.anyOf as Array<{ $ref: string }>) {
  const name = member.$ref.split("/").pop()!
  eventMembers.set(defs[name].properties.type.const, name)
}

const compiled = new Map<string, ReturnType<typeof ajv.compile>>()
function validator(pointer: string) {
  let v = compiled.get(pointer)
  if (!v) compiled.set(pointer, (v = ajv.compile({ $ref: "v1#/definitions/" + pointer })))
  return v
}

function check(where: string, pointer: string, body: unknown): Mismatch | undefined {
  const v = validator(pointer)
  if (v(body)) return
  const errors = v.errors!.map(
    (e) => `${e.instancePath || "/"} ${e.message}${e.params && "allowedValues" in e.params ? " " + JSON.stringify(e.params.allowedValues) : ""}`,
  )
  return { where, errors: [...new Set(errors)] }
}

/** Checks a body against `<operation>Responses[status]`, or `<operation>Errors[status]` for a 4xx/5xx. */
export function checkResponse(operation: string, status: number, body: unknown): Mismatch | undefined {
  if (!defs[operation + "Responses"]) throw new Error(`the v1 SDK has no operation ${operation}`)
  const kind = status >= 400 ? "Errors" : "Responses"
  const declared = defs[operation + kind]?.properties ?? {}
  if (!declared[status]) return { where: operation, errors: [`status ${status} is not declared (declared: ${Object.keys(declared)})`] }
  // `void` (generated as type null) declares "no body": the status is the contract, and a 204
  // cannot carry a body anyway.
  if (status === 204 && declared[status].type === "null") return
  return check(status >= 400 ? `${operation} ${status}` : operation, `${operation}${kind}/properties/${status}`, body)
}

/** Checks one /event payload against the member of the Event union its `type` names; undefined type = not in v1. */
export function checkEvent(event: { type: string; [key: string]: unknown }): Mismatch | undefined | "unknown" {
  const member = eventMembers.get(event.type)
  if (!member) return "unknown"
  return check("event " + event.type, member, event)
}

/** What an official SDK call resolves to. */
export type Result<T> = { data?: T; error?: unknown; response: Response }

/** Merges mismatches reported at the same place, dropping repeated messages. */
export function dedupe(list: Mismatch[]): Mismatch[] {
  const byWhere = new Map<string, Set<string>>()
  for (const m of list) for (const err of m.errors) (byWhere.get(m.where) ?? byWhere.set(m.where, new Set()).get(m.where)!).add(err)
  return [...byWhere].map(([where, errors]) => ({ where, errors: [...errors] }))
}
