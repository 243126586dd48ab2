import { t, type Static, type TSchema } from "../util/schema"
import type { TObject, TLiteral } from "@sinclair/typebox"

// Events are declared once, here or in their domain, with a TypeBox schema. The registry
// feeds the `Event` union in /doc, and the same definition types publish() calls.
export type EventDef<Type extends string = string, Props extends TSchema = TSchema> = {
  type: Type
  properties: Props
  schema: TObject<{ type: TLiteral<Type>; properties: Props }>
}

const registry = new Map<string, EventDef>()

export function defineEvent<Type extends string, Props extends TSchema>(type: Type, properties: Props): EventDef<Type, Props> {
  const existing = registry.get(type)
  if (existing) return existing as unknown as EventDef<Type, Props>
  const schema = t.Object({ type: t.Literal(type), properties }, { $id: eventComponentName(type) })
  const def = { type, properties, schema }
  registry.set(type, def as unknown as EventDef)
  return def
}

export type EventPayload<D extends EventDef> = { type: D["type"]; properties: Static<D["properties"]> }

export function registeredEvents(): EventDef[] {
  return [...registry.values()]
}

/** "session.created" -> "EventSessionCreated", the component names the SDK uses. */
export function eventComponentName(type: string) {
  return (
    "Event" +
    type
      .split(/[.\-_]/)
      .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
      .join("")
  )
}
