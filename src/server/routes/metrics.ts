import { Elysia } from "elysia"
import { renderMetrics, type Gauges } from "../../metrics/exposition"
import { openStreamCount } from "../sse"
import { openSocketCount } from "../websocket"
import { Bus } from "../../bus"
import { runStats } from "../../session/prompt/runner"

const GAUGES: Gauges = {
  opencode_sse_clients: { help: "Open server-sent event streams (/event, /global/event)", read: openStreamCount },
  opencode_websocket_clients: { help: "Open WebSockets (terminals)", read: openSocketCount },
  opencode_event_buffer_events: { help: "Events held for clients resuming with Last-Event-ID", read: () => Bus.bufferStats().events },
  opencode_event_buffer_bytes: { help: "Bytes of the events held for resuming clients", read: () => Bus.bufferStats().bytes },
  opencode_sessions_busy: { help: "Sessions running a prompt", read: () => runStats().busy },
  opencode_prompts_queued: { help: "Prompts waiting behind a running one in their session", read: () => runStats().queued },
}

export function metricsRoutes() {
  return new Elysia({ tags: ["control"] }).get(
    "/metrics",
    async () => {
      const { text, contentType } = await renderMetrics(GAUGES)
      return new Response(text, { headers: { "content-type": contentType } })
    },
    {
      detail: {
        operationId: "metrics.get",
        summary: "Prometheus metrics",
        description:
          "Requests and latency by route pattern, SSE and WebSocket clients, the event replay buffer, busy sessions and queued prompts, provider calls, errors and tokens, and process memory and CPU, in the Prometheus text format. Behind the same auth as every route.",
        responses: { 200: { description: "Prometheus text exposition", content: { "text/plain": { schema: { type: "string" } } } } },
      },
    },
  )
}
