import { t, type Static } from "../util/schema"
import { redactSecrets } from "../config/secrets"
import type { Model } from "../provider/schema"

// A model as the v2 API describes it: modalities as lists, prices as tiers, the release as a
// timestamp. Mapped from the v1 model this server builds from the catalog and config.

const Settings = t.Record(t.String(), t.Unknown())

export const ModelApi = t.Union(
  [
    t.Object({ id: t.String(), type: t.Literal("aisdk"), package: t.String(), url: t.Optional(t.String()), settings: t.Optional(Settings) }),
    t.Object({ id: t.String(), type: t.Literal("native"), url: t.Optional(t.String()), settings: Settings }),
  ],
  { $id: "ModelApi" },
)

export const ModelCapabilities = t.Object(
  { tools: t.Boolean(), input: t.Array(t.String()), output: t.Array(t.String()) },
  { $id: "ModelCapabilities" },
)

const Price = { input: t.Number(), output: t.Number(), cache: t.Object({ read: t.Number(), write: t.Number() }) }
export const ModelCost = t.Object(
  {
    tier: t.Optional(t.Object({ type: t.Literal("context"), size: t.Integer({ description: "Prompt tokens past which this tier applies" }) })),
    ...Price,
  },
  { $id: "ModelCost", description: "USD per 1M tokens" },
)
export type ModelCost = Static<typeof ModelCost>

const Headers = t.Record(t.String(), t.String())
const Body = t.Record(t.String(), t.Unknown())

export const ModelV2Info = t.Object(
  {
    id: t.String(),
    providerID: t.String(),
    family: t.Optional(t.String()),
    name: t.String(),
    api: ModelApi,
    capabilities: ModelCapabilities,
    request: t.Object({ headers: Headers, body: Body, variant: t.Optional(t.String()) }),
    variants: t.Array(t.Object({ id: t.String(), headers: Headers, body: Body })),
    time: t.Object({ released: t.Number({ description: "Release date, ms since epoch (0 when unknown)" }) }),
    cost: t.Array(ModelCost),
    status: t.Union([t.Literal("alpha"), t.Literal("beta"), t.Literal("deprecated"), t.Literal("active")]),
    enabled: t.Boolean(),
    limit: t.Object({ context: t.Integer(), input: t.Optional(t.Integer()), output: t.Integer() }),
  },
  { $id: "ModelV2Info" },
)
export type ModelV2Info = Static<typeof ModelV2Info>

const LONG_CONTEXT = 200_000

export function toModelV2(m: Model): ModelV2Info {
  const over = m.cost.experimentalOver200K
  const released = Date.parse(m.release_date)
  return {
    id: m.id,
    providerID: m.providerID,
    ...(m.family ? { family: m.family } : {}),
    name: m.name,
    api: { id: m.api.id, type: "aisdk", package: m.api.npm, ...(m.api.url ? { url: m.api.url } : {}) },
    capabilities: { tools: m.capabilities.toolcall, input: kinds(m.capabilities.input), output: kinds(m.capabilities.output) },
    // Config may put credentials here (an Authorization header): masked, as everywhere else.
    request: { headers: redactSecrets({ ...m.headers }), body: redactSecrets({ ...m.options }) },
    variants: [],
    time: { released: Number.isFinite(released) ? released : 0 },
    cost: [
      { input: m.cost.input, output: m.cost.output, cache: { ...m.cost.cache } },
      ...(over ? [{ tier: { type: "context" as const, size: LONG_CONTEXT }, input: over.input, output: over.output, cache: { ...over.cache } }] : []),
    ],
    status: m.status,
    // Models the catalog knows are usable unless config removes them (whitelist/blacklist),
    // and removed ones are not listed at all.
    enabled: true,
    limit: {
      context: Math.trunc(m.limit.context),
      ...(m.limit.input !== undefined ? { input: Math.trunc(m.limit.input) } : {}),
      output: Math.trunc(m.limit.output),
    },
  }
}

function kinds(flags: Record<string, boolean>): string[] {
  return Object.entries(flags)
    .filter(([, on]) => on)
    .map(([kind]) => kind)
}
