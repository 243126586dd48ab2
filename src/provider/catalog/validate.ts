// A models.dev api.json is only trusted when it looks like one: a refresh that returns an
// error page, a truncated body or someone else's JSON must never replace a working catalog.

export type RawProvider = { id: string; name?: string; npm?: string; api?: string; env?: string[]; models: Record<string, any> }

/** The catalog, or undefined when `data` is not a usable models.dev catalog. */
export function parseCatalog(data: unknown): Record<string, RawProvider> | undefined {
  if (!data || typeof data !== "object" || Array.isArray(data)) return undefined
  const out: Record<string, RawProvider> = {}
  for (const [id, p] of Object.entries(data as Record<string, any>)) {
    if (!p || typeof p !== "object" || typeof p.models !== "object" || p.models === null || Array.isArray(p.models)) continue
    if (p.env !== undefined && !Array.isArray(p.env)) continue
    out[id] = { ...p, id: typeof p.id === "string" ? p.id : id }
  }
  // Every models.dev release lists dozens of providers; a handful means something else.
  return Object.keys(out).length >= 5 ? out : undefined
}
