import type { Model, Provider } from "./schema"

// GET /provider serves two generations of clients: opencode 1.18 reads the current Provider
// shape (capabilities, cost.cache), the v1 SDK types `all` as models.dev entries (tool_call,
// attachment, modalities, cost.cache_read). Adding the v1 fields alongside serves both.
const views = new WeakMap<Provider, Provider>()

export function withV1Fields(p: Provider): Provider {
  let view = views.get(p)
  if (!view) {
    const first = Object.values(p.models)[0]
    view = {
      ...p,
      models: Object.fromEntries(Object.entries(p.models).map(([id, m]) => [id, model(m)])),
      ...(first ? { npm: first.api.npm, ...(first.api.url ? { api: first.api.url } : {}) } : {}),
    }
    views.set(p, view)
  }
  return view
}

function model(m: Model): Model {
  const c = m.capabilities
  const on = (x: Record<string, boolean>) => Object.keys(x).filter((k) => x[k])
  return {
    ...m,
    attachment: c.attachment,
    reasoning: c.reasoning,
    temperature: c.temperature,
    tool_call: c.toolcall,
    modalities: { input: on(c.input), output: on(c.output) },
    cost: { ...m.cost, cache_read: m.cost.cache.read, cache_write: m.cost.cache.write },
    provider: { npm: m.api.npm },
  }
}
