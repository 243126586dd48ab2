import { counterSeries, latencySeries, requestSeries, LATENCY_BUCKETS } from "./recorder"

// GET /metrics in the Prometheus text format, through prom-client (loaded on the first
// scrape: its import costs more than the whole server's start-up). Gauges read the live
// state at scrape time from `gauges`, which the server passes in.

export type Gauges = Record<string, { help: string; read: () => number | Array<{ labels: Record<string, string>; value: number }> }>

const COUNTERS: Record<string, string> = {
  opencode_provider_calls_total: "Model calls made to providers (each retry counts), by outcome",
  opencode_provider_tokens_total: "Tokens providers reported, by type (input, output, reasoning, cache_read, cache_write)",
  opencode_unexpected_errors_total: "Unexpected server errors (answered 500)",
}

let registry: Promise<{ metrics(): Promise<string>; contentType: string }> | undefined

export function renderMetrics(gauges: Gauges) {
  registry ??= build(gauges)
  return registry.then(async (r) => ({ text: await r.metrics(), contentType: r.contentType }))
}

async function build(gauges: Gauges) {
  const client = await import("prom-client")
  const reg = new client.Registry()
  client.collectDefaultMetrics({ register: reg })
  reg.registerMetric(custom("http_requests_total", "HTTP requests answered, by method, route pattern and status", "counter", requestSeries))
  for (const [name, help] of Object.entries(COUNTERS)) {
    reg.registerMetric(custom(name, help, "counter", () => counterSeries(name).map((s) => ({ labels: s.labels, value: s.value }))))
  }
  reg.registerMetric(
    custom("http_request_duration_seconds", "Time to answer HTTP requests (to the response head for streams), by method and route pattern", "histogram", () =>
      latencySeries().flatMap((h) => [
        ...LATENCY_BUCKETS.map((le, i) => ({ metricName: "http_request_duration_seconds_bucket", labels: { ...h.labels, le: String(le) }, value: h.buckets[i] })),
        { metricName: "http_request_duration_seconds_bucket", labels: { ...h.labels, le: "+Inf" }, value: h.count },
        { metricName: "http_request_duration_seconds_sum", labels: h.labels, value: h.sum },
        { metricName: "http_request_duration_seconds_count", labels: h.labels, value: h.count },
      ]),
    ),
  )
  for (const [name, g] of Object.entries(gauges)) {
    reg.registerMetric(
      custom(name, g.help, "gauge", () => {
        const v = g.read()
        return typeof v === "number" ? [{ labels: {}, value: v }] : v
      }),
    )
  }
  return reg
}

/** A metric prom-client's registry serialises, whose values come from our own counts. */
function custom(name: string, help: string, type: "counter" | "gauge" | "histogram", values: () => Array<{ labels: Record<string, string>; value: number; metricName?: string }>) {
  const metric = { name, help, type, aggregator: "sum" as const, get: async () => ({ name, help, type, aggregator: "sum" as const, values: values() }), reset() {}, collect() {} }
  return metric as any
}
