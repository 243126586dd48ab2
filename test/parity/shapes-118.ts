// Checks wire objects against opencode 1.18.33's own schemas (copied from its OpenAPI document
// into test/conformance/fixtures). Unlike the v1 check, these schemas forbid unknown fields,
// so `extras` names the v1 fields we send on purpose beside 1.18's.

import Ajv from "ajv"
import document from "../conformance/fixtures/opencode-1.18.33-schemas.json"

const ajv = new Ajv({ allErrors: true, strict: false })
ajv.addSchema({ $id: "oc118", ...(document as any) })

const compiled = new Map<string, ReturnType<typeof ajv.compile>>()

/** Mismatches of `value` against 1.18's `schema`, as "path message" lines; [] when it conforms. */
export function check118(schema: string, value: unknown): string[] {
  let v = compiled.get(schema)
  if (!v) compiled.set(schema, (v = ajv.compile({ $ref: `oc118#/components/schemas/${schema}` })))
  if (v(value)) return []
  return [...new Set(v.errors!.map((e) => `${e.instancePath || "/"} ${e.message}${"additionalProperty" in e.params ? ` '${e.params.additionalProperty}'` : ""}`))]
}
