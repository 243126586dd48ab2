import type { TSchema } from "../util/schema"
import { Value } from "@sinclair/typebox/value"
import { Config } from "./schema"

/**
 * Dotted paths of the keys in a PATCH /config body that are not settings. The schema lets
 * unknown keys through where it must read files a newer opencode wrote; a request is held to
 * what this server knows instead, since whatever it accepts ends up in a file users commit.
 * The top level is strict; below it, an object is free-form only where the schema says so
 * (`additionalProperties: true`: agent, provider and model entries and their options...),
 * maps (`command`, `agent`, `provider`...) take any name and check each entry.
 */
export function unknownKeyPaths(value: unknown, schema: TSchema = Config): string[] {
  const out: string[] = []
  walk(schema, value, [], out, true)
  return out
}

function walk(schema: any, value: unknown, at: string[], out: string[], root: boolean) {
  if (!value || typeof value !== "object") return
  if (schema.anyOf) {
    // The variant the value is: an entry that fits none is the validator's to report.
    const variant = (schema.anyOf as TSchema[]).find((s) => Value.Check(s, value))
    if (variant) walk(variant, value, at, out, root)
    return
  }
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v, i) => walk(schema.items, v, [...at, String(i)], out, false))
    return
  }
  if (schema.type !== "object") return
  const props: Record<string, TSchema> = schema.properties ?? {}
  const patterns = Object.values<TSchema>(schema.patternProperties ?? {})
  for (const [key, v] of Object.entries(value)) {
    const here = [...at, key]
    const known = Object.hasOwn(props, key) ? props[key] : patterns[0]
    if (known) walk(known, v, here, out, false)
    else if (typeof schema.additionalProperties === "object") walk(schema.additionalProperties, v, here, out, false)
    else if (schema.additionalProperties !== true || root) out.push(here.join("."))
  }
}
