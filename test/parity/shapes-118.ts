// Checks wire objects against opencode 1.18.33's own schemas (its OpenAPI document, copied into
// test/fixtures). Unlike the v1 check, these schemas forbid unknown fields.

import Ajv from "ajv"
import document from "../fixtures/opencode-1.18.33-openapi.json"

const ajv = new Ajv({ allErrors: true, strict: false })
ajv.addSchema({ $id: "oc118", components: (document as any).components })

const compiled = new Map<string, ReturnType<typeof ajv.compile>>()

/** Mismatches of `value` against 1.18's `schema`, as "path message" lines; [] when it conforms. */
export function check118(schema: string, value: unknown): string[] {
  let v = compiled.get(schema)
  if (!v) compiled.set(schema, (v = ajv.compile({ $ref: `oc118#/components/schemas/${schema}` })))
  if (v(value)) return []
  return [...new Set(v.errors!.map((e) => `${e.instancePath || "/"} ${e.message}${"additionalProperty" in e.params ? ` '${e.params.additionalProperty}'` : ""}`))]
}
