import { Elysia, t } from "elysia"
import { DirectoryQuery } from "../directory"
import { log } from "../../util/log"

export function logRoutes() {
  return new Elysia({ tags: ["control"] }).post(
    "/log",
    ({ body }) => {
      log.write(body.level, body.service, body.message, body.extra)
      return true
    },
    {
      query: DirectoryQuery,
      body: t.Object({
        service: t.String({ description: "Service name for the log entry" }),
        level: t.Union([t.Literal("debug"), t.Literal("info"), t.Literal("error"), t.Literal("warn")], { description: "Log level" }),
        message: t.String({ description: "Log message" }),
        extra: t.Optional(t.Record(t.String(), t.Unknown())),
      }),
      response: { 200: t.Boolean() },
      detail: { operationId: "app.log", summary: "Write log", description: "Write a log entry to the server log." },
    },
  )
}
