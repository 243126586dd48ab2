import type { RawModel } from "./catalog/catalog"
import type { Model } from "./schema"

const KINDS = ["text", "audio", "image", "video", "pdf"] as const

function flags(list: string[] | undefined, fallback: string[]) {
  const set = new Set(list ?? fallback)
  return Object.fromEntries(KINDS.map((k) => [k, set.has(k)])) as Record<(typeof KINDS)[number], boolean>
}

/** A catalog or config model entry as the wire `Model`. */
export function toModel(providerID: string, id: string, raw: RawModel, api: { npm: string; url: string }): Model {
  const cost = raw.cost ?? {}
  const over = cost.context_over_200k
  const input = flags(raw.modalities?.input, raw.attachment ? ["text", "image"] : ["text"])
  return {
    id,
    providerID,
    api: { id: raw.id ?? id, url: raw.provider?.api ?? api.url, npm: raw.provider?.npm ?? api.npm },
    name: raw.name ?? id,
    ...(raw.family ? { family: raw.family } : {}),
    capabilities: {
      temperature: raw.temperature ?? true,
      reasoning: raw.reasoning ?? false,
      attachment: raw.attachment ?? false,
      toolcall: raw.tool_call ?? true,
      input,
      output: flags(raw.modalities?.output, ["text"]),
      interleaved: raw.interleaved ?? false,
    },
    cost: {
      input: cost.input ?? 0,
      output: cost.output ?? 0,
      cache: { read: cost.cache_read ?? 0, write: cost.cache_write ?? 0 },
      ...(over
        ? { experimentalOver200K: { input: over.input, output: over.output, cache: { read: over.cache_read ?? 0, write: over.cache_write ?? 0 } } }
        : {}),
    },
    limit: {
      context: raw.limit?.context ?? 0,
      ...(raw.limit?.input ? { input: raw.limit.input } : {}),
      output: raw.limit?.output ?? 0,
    },
    status: raw.status ?? "active",
    options: raw.options ?? {},
    headers: raw.headers ?? {},
    release_date: raw.release_date ?? "",
  }
}
