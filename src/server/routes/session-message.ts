import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery, scopedQuery } from "../directory"
import * as Messages from "../../session/message"
import { prompt, promptAsync } from "../../session/prompt/prompt"
import { MessageWithParts, PromptInput } from "../../session/schema"
import { drained } from "../sse"

const Params = t.Object({ sessionID: t.String({ description: "Session ID" }) })

// Message bodies can be large (long histories, tool output): they are sent as JSON we build
// ourselves rather than re-validated against the Part union on the way out.
const JSON_HEADERS = { "content-type": "application/json" }
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: JSON_HEADERS })
/** A long history streams out in ~64 KB chunks instead of as one huge string. */
const encoder = new TextEncoder()
function jsonPieces(pieces: Iterable<string>) {
  const it = pieces[Symbol.iterator]()
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = ""
      for (let next = it.next(); !next.done; next = it.next()) {
        chunk += next.value
        if (chunk.length >= 65_536) return controller.enqueue(encoder.encode(chunk))
      }
      if (chunk) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
  return new Response(body, { headers: JSON_HEADERS })
}

// The opencode CLI (run --attach) exits as soon as its prompt is answered, dropping events it
// has not read yet: the answer waits until every event stream has written the reply's events,
// then a few ms more for those bytes to leave before the response's own.
const EVENTS_HEAD_START_MS = 5

const QUEUE_NOTE =
  "A prompt sent while the session is busy is stored at once and queued: it runs after the prompts before it finish, never interleaved with them. Aborting the session cancels queued prompts as well (their user messages stay)."

export function sessionMessageRoutes() {
  return new Elysia({ tags: ["session"] })
    .use(instanceScope)
    .get("/session/:sessionID/message", ({ params, query }) => jsonPieces(Messages.listJSON(params.sessionID, query.limit)), {
      params: Params,
      query: scopedQuery({ limit: t.Optional(t.Integer({ minimum: 1, description: "Only the newest `limit` messages" })) }),
      response: { 200: t.Array(MessageWithParts) },
      detail: { operationId: "session.messages", summary: "Get session messages", description: "Messages with their parts, oldest first." },
    })
    .get("/session/:sessionID/message/:messageID", ({ params }) => json(Messages.get(params.sessionID, params.messageID)), {
      params: t.Object({ sessionID: t.String(), messageID: t.String() }),
      query: DirectoryQuery,
      response: { 200: MessageWithParts },
      detail: { operationId: "session.message", summary: "Get a message with its parts" },
    })
    .post(
      "/session/:sessionID/message",
      async ({ instance, params, body }) => {
        const reply = await prompt(instance, params.sessionID, body)
        await drained()
        await Bun.sleep(EVENTS_HEAD_START_MS)
        return json(reply)
      },
      {
        params: Params,
        query: DirectoryQuery,
        body: PromptInput,
        response: { 200: MessageWithParts },
        detail: {
          operationId: "session.prompt",
          summary: "Send message",
          description: `Stores the prompt and answers when the agent has finished: the last assistant message with its parts (the user message itself with \`noReply\`). Progress streams meanwhile as events on /event. Unknown agent or model: 400. ${QUEUE_NOTE}`,
        },
      },
    )
    .post(
      "/session/:sessionID/prompt_async",
      async ({ instance, params, body }) => {
        await promptAsync(instance, params.sessionID, body)
        return new Response(null, { status: 204 })
      },
      {
        params: Params,
        query: DirectoryQuery,
        body: PromptInput,
        detail: {
          operationId: "session.prompt_async",
          responses: { 204: { description: "Prompt accepted" } },
          summary: "Send message asynchronously",
          description: `Answers 204 as soon as the prompt is stored and the session marked busy (a client reading the session right after sees both); the reply streams as events. ${QUEUE_NOTE}`,
        },
      },
    )
}
