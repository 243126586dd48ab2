import { t, type Static } from "../util/schema"
import type { Instance } from "../project/instance"
import { registry, type Entry } from "../provider/registry"
import { ProviderRequest } from "./schema"
import { toModelV2, type ModelV2Info } from "./model"

const Settings = t.Record(t.String(), t.Unknown())

export const ProviderAISDK = t.Object(
  {
    type: t.Literal("aisdk"),
    package: t.String({ description: "The AI SDK package that talks to the provider" }),
    url: t.Optional(t.String()),
    settings: t.Optional(Settings),
  },
  { $id: "ProviderAISDK" },
)
export const ProviderNative = t.Object({ type: t.Literal("native"), url: t.Optional(t.String()), settings: Settings }, { $id: "ProviderNative" })
export const ProviderApi = t.Union([ProviderAISDK, ProviderNative], { $id: "ProviderApi" })

export const ProviderV2Info = t.Object(
  {
    id: t.String(),
    integrationID: t.Optional(t.String()),
    name: t.String(),
    disabled: t.Optional(t.Boolean()),
    api: ProviderApi,
    request: ProviderRequest,
  },
  { $id: "ProviderV2Info" },
)
export type ProviderV2Info = Static<typeof ProviderV2Info>

/** Providers usable now: configured, or holding a credential this server can use. */
export async function listProvidersV2(instance: Instance): Promise<ProviderV2Info[]> {
  return (await available(instance)).map(toProviderV2)
}

/** Any provider the catalog or config knows, usable or not; undefined when unknown. */
export async function getProviderV2(instance: Instance, providerID: string): Promise<ProviderV2Info | undefined> {
  const entry = (await registry(instance)).providers.get(providerID)
  return entry && toProviderV2(entry)
}

/** The models of usable providers, newest release first. */
export async function listModelsV2(instance: Instance): Promise<ModelV2Info[]> {
  const models = (await available(instance)).flatMap((e) => Object.values(e.info.models).map(toModelV2))
  return models.sort((a, b) => b.time.released - a.time.released)
}

async function available(instance: Instance): Promise<Entry[]> {
  return [...(await registry(instance)).providers.values()].filter((e) => e.connected)
}

// Settings are the provider's config options as v1 clients see them: keys and headers are
// never sent (they may hold credentials), and the endpoint is `url`.
function toProviderV2(e: Entry): ProviderV2Info {
  const { baseURL: _, ...settings } = e.info.options
  return {
    id: e.info.id,
    name: e.info.name,
    api: { type: "aisdk", package: e.npm, ...(e.baseURL ? { url: e.baseURL } : {}), settings },
    request: { headers: {}, body: {} },
  }
}
