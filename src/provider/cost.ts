import type { Model } from "./schema"

export type Usage = { input: number; output: number; reasoning: number; cacheRead: number; cacheWrite: number }

/**
 * USD for one step. Catalog prices are per 1M tokens; `output` excludes reasoning, which is
 * billed at the output rate. Past 200k prompt tokens the long-context prices apply when known.
 */
export function computeCost(info: Model, usage: Usage): number {
  const base = info.cost
  const long = base.experimentalOver200K && usage.input + usage.cacheRead + usage.cacheWrite > 200_000 ? base.experimentalOver200K : undefined
  const rate = long ?? base
  const n = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0)
  const total =
    n(usage.input) * rate.input +
    (n(usage.output) + n(usage.reasoning)) * rate.output +
    n(usage.cacheRead) * rate.cache.read +
    n(usage.cacheWrite) * rate.cache.write
  return total / 1_000_000
}
