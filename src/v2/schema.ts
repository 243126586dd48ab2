import { t, type Static, type TSchema } from "../util/schema"
import { LocationInfo } from "../location/location"

// Pieces shared by the v2 read endpoints (opencode 1.18 `/api/*`): every answer is the data
// wrapped with the location it was computed for. $ids match the real server's component names.

export const ModelRef = t.Object(
  { id: t.String(), providerID: t.String(), variant: t.Optional(t.String()) },
  { $id: "ModelRef" },
)
export type ModelRef = Static<typeof ModelRef>

export const ProviderRequest = t.Object(
  {
    headers: t.Record(t.String(), t.String()),
    body: t.Record(t.String(), t.Unknown(), { description: "Extra request body fields sent to the provider" }),
  },
  { $id: "ProviderRequest" },
)
export type ProviderRequest = Static<typeof ProviderRequest>

/** `{ location, data }`, the shape of every v2 read answer. */
export function located<T extends TSchema>(data: T) {
  return t.Object({ location: LocationInfo, data })
}

export const ProviderNotFoundError = t.Object(
  { _tag: t.Literal("ProviderNotFoundError"), providerID: t.String(), message: t.String() },
  { $id: "ProviderNotFoundError" },
)

// The real server has no 404 for an unknown integration; this one follows its not-found shape.
export const IntegrationNotFoundError = t.Object(
  { _tag: t.Literal("IntegrationNotFoundError"), integrationID: t.String(), message: t.String() },
  { $id: "IntegrationNotFoundError" },
)

/** "provider/model" as a ModelRef (the model id may itself hold slashes); undefined when malformed. */
export function modelRef(ref: string, variant?: string): ModelRef | undefined {
  const i = ref.indexOf("/")
  if (i <= 0 || i === ref.length - 1) return undefined
  return { id: ref.slice(i + 1), providerID: ref.slice(0, i), ...(variant ? { variant } : {}) }
}
