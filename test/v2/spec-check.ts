import path from "node:path"

// Checks a response body against the real opencode 1.18.33 spec: the success schema of an
// operation, with $refs resolved, required fields, no extra fields where the spec forbids
// them, enums, patterns and integer-ness. Returns the problems found (empty when it fits).

// A copy of the real server's OpenAPI document, kept in the repository (test/fixtures).
const SPEC = await Bun.file(path.resolve(import.meta.dir, "../fixtures/opencode-1.18.33-openapi.json")).json()

export function responseSchema(operationId: string, status = "200") {
  for (const methods of Object.values<any>(SPEC.paths))
    for (const op of Object.values<any>(methods))
      if (op?.operationId === operationId) return op.responses[status].content["application/json"].schema
  throw new Error(`operation ${operationId} is not in the spec`)
}

export function specProblems(operationId: string, body: unknown, status = "200"): string[] {
  const out: string[] = []
  check(responseSchema(operationId, status), body, "$", out)
  return out
}

function check(schema: any, v: any, at: string, out: string[]) {
  if (schema.$ref) return check(SPEC.components.schemas[schema.$ref.split("/").pop()], v, at, out)
  if (schema.anyOf) {
    const tries = schema.anyOf.map((s: any) => {
      const o: string[] = []
      check(s, v, at, o)
      return o
    })
    if (!tries.some((o: string[]) => o.length === 0)) out.push(`${at}: matches no alternative (${tries.map((o: string[]) => o[0]).join(" | ")})`)
    return
  }
  if (schema.enum && !schema.enum.includes(v)) out.push(`${at}: ${JSON.stringify(v)} not in ${JSON.stringify(schema.enum)}`)
  switch (schema.type) {
    case "object": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) return void out.push(`${at}: expected object`)
      for (const k of schema.required ?? []) if (!(k in v)) out.push(`${at}: missing ${k}`)
      for (const [k, val] of Object.entries(v)) {
        const p = schema.properties?.[k]
        if (p) check(p, val, `${at}.${k}`, out)
        else if (schema.additionalProperties === false) out.push(`${at}: unexpected ${k}`)
        else if (typeof schema.additionalProperties === "object") check(schema.additionalProperties, val, `${at}.${k}`, out)
      }
      return
    }
    case "array":
      if (!Array.isArray(v)) return void out.push(`${at}: expected array`)
      v.forEach((x, i) => check(schema.items, x, `${at}[${i}]`, out))
      return
    case "string":
      if (typeof v !== "string") return void out.push(`${at}: expected string`)
      if (schema.pattern && !new RegExp(schema.pattern).test(v)) out.push(`${at}: ${v} does not match ${schema.pattern}`)
      return
    case "integer":
      if (!Number.isInteger(v)) out.push(`${at}: expected integer`)
      else if (schema.exclusiveMinimum !== undefined && !(v > schema.exclusiveMinimum)) out.push(`${at}: not above ${schema.exclusiveMinimum}`)
      return
    case "number":
      if (typeof v !== "number") out.push(`${at}: expected number`)
      return
    case "boolean":
      if (typeof v !== "boolean") out.push(`${at}: expected boolean`)
      return
  }
}
