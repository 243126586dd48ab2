import { Elysia } from "elysia"
import { eventStream } from "../sse"
import { instanceScope, DirectoryQuery } from "../directory"

export function eventRoutes() {
  return new Elysia({ tags: ["event"] }).use(instanceScope).get(
    "/event",
    ({ request, instance, server }) =>
      eventStream({
        request,
        server,
        filter: (e) => e.directory === instance.directory,
        shape: (e) => e.json,
        hello: () => ({ type: "server.connected", properties: {} }),
      }),
    {
      query: DirectoryQuery,
      detail: {
        operationId: "event.subscribe",
        summary: "Subscribe to events",
        description:
          "Server-sent events for one directory: first `server.connected`, then bus events, and `server.heartbeat` at least every 10 s. Every event has an `id:`; reconnect with `Last-Event-ID` to receive what was missed while it is still in the server's bounded buffer. When it cannot be (the id is from an earlier server process, older than the buffer, or not an id), `server.connected` is followed by `server.resync` (reason and the id sent): reload state, then every new event follows.",
        responses: {
          200: { description: "Event stream", content: { "text/event-stream": { schema: { $ref: "#/components/schemas/Event" } } } },
        },
      },
    },
  )
}
