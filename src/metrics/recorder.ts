// What /metrics reports, counted as it happens with plain maps: no dependency at start-up.
// prom-client is loaded only when the first scrape arrives (see exposition.ts) and reads
// these totals then, so nothing is lost before it.

export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

export type Labels = Record<string, string>
type Histogram = { labels: Labels; buckets: number[]; sum: number; count: number }

const counters = new Map<string, Map<string, { labels: Labels; value: number }>>()

function key(labels: Labels) {
  let k = ""
  for (const name in labels) k += name + "\u0000" + labels[name] + "\u0001"
  return k
}

export function count(metric: string, labels: Labels, by = 1) {
  let series = counters.get(metric)
  if (!series) counters.set(metric, (series = new Map()))
  const k = key(labels)
  const hit = series.get(k)
  if (hit) hit.value += by
  else series.set(k, { labels, value: by })
}

export function counterSeries(metric: string) {
  return [...(counters.get(metric)?.values() ?? [])]
}

// Requests are the hot path (every request records one): nested maps, no label strings
// built per request, one bucket bumped (made cumulative when rendered).
type RouteStats = { method: string; route: string; statuses: Map<number, number>; buckets: number[]; sum: number; count: number }
const requests = new Map<string, RouteStats>()

/** One HTTP request: its route pattern (not the raw path, so ids do not explode the series). */
export function recordRequest(method: string, route: string, status: number, seconds: number) {
  const k = method + " " + route
  let r = requests.get(k)
  if (!r) requests.set(k, (r = { method, route, statuses: new Map(), buckets: new Array(LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 }))
  r.statuses.set(status, (r.statuses.get(status) ?? 0) + 1)
  let i = 0
  while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]) i++
  r.buckets[i]++
  r.sum += seconds
  r.count++
}

export function requestSeries(): Array<{ labels: Labels; value: number }> {
  const out: Array<{ labels: Labels; value: number }> = []
  for (const r of requests.values()) for (const [status, value] of r.statuses) out.push({ labels: { method: r.method, route: r.route, status: String(status) }, value })
  return out
}

/** Per method and route: cumulative bucket counts (one per LATENCY_BUCKETS bound), sum and count. */
export function latencySeries(): Histogram[] {
  return [...requests.values()].map((r) => {
    let running = 0
    const buckets = LATENCY_BUCKETS.map((_, i) => (running += r.buckets[i]))
    return { labels: { method: r.method, route: r.route }, buckets, sum: r.sum, count: r.count }
  })
}

export type ProviderUsage = { input: number; output: number; reasoning: number; cache: { read: number; write: number } }

/** One model call (each retry is one); tokens as the provider reported them. */
export function recordProviderCall(provider: string, model: string, failed: boolean, tokens?: ProviderUsage) {
  count("opencode_provider_calls_total", { provider, model, outcome: failed ? "error" : "ok" })
  if (!tokens) return
  const add = (type: string, n: number) => n > 0 && count("opencode_provider_tokens_total", { provider, model, type }, n)
  add("input", tokens.input)
  add("output", tokens.output)
  add("reasoning", tokens.reasoning)
  add("cache_read", tokens.cache.read)
  add("cache_write", tokens.cache.write)
}

/** An error the server did not expect (a 500), by where it surfaced. */
export function recordUnexpectedError(where: string) {
  count("opencode_unexpected_errors_total", { where })
}
