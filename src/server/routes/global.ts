import { Elysia, t } from "elysia"
import { VERSION } from "../../global/version"
import { eventStream } from "../sse"
import { registeredEvents } from "../../bus"
import { eventUnion } from "../doc"

export function globalRoutes() {
  return new Elysia({ tags: ["global"] })
    .get("/global/health", () => ({ healthy: true as const, version: VERSION }), {
      response: { 200: t.Object({ healthy: t.Literal(true), version: t.String() }) },
      detail: { operationId: "global.health", summary: "Get health", description: "Get health information about the server." },
    })
    .get(
      "/global/event",
      ({ request, server }) =>
        eventStream({
          request,
          server,
          filter: () => true,
          // Spliced, not re-serialised: the payload's JSON is made once per event.
          shape: (e) => `{"directory":${JSON.stringify(e.directory)},"payload":${e.json}}`,
          hello: () => ({ directory: "global", payload: { type: "server.connected", properties: {} } }),
        }),
      {
        detail: {
          operationId: "global.event",
          summary: "Get global events",
          description:
            "Server-sent events from every directory, each as { directory, payload }. Every event has an `id:`; reconnect with `Last-Event-ID` to receive what was missed while it is still in the server's bounded buffer. When it cannot be (the id is from an earlier server process, older than the buffer, or not an id), `server.connected` is followed by `server.resync` (reason and the id sent): reload state, then every new event follows.",
          responses: {
            200: {
              description: "Event stream",
              content: {
                "text/event-stream": {
                  schema: { type: "object", properties: { directory: { type: "string" }, payload: { $ref: "#/components/schemas/Event" } }, required: ["directory", "payload"] },
                },
              },
            },
          },
        },
      },
    )
}

export { registeredEvents, eventUnion }
