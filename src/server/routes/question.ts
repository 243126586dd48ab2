import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { listQuestions, replyToQuestion } from "../../question/question"
import { QuestionAnswer, QuestionRequest } from "../../question/schema"

const Params = t.Object({ requestID: t.String() })

export function questionRoutes() {
  return new Elysia({ tags: ["question"] })
    .use(instanceScope)
    .get("/question", () => listQuestions(), {
      query: DirectoryQuery,
      response: { 200: t.Array(QuestionRequest) },
      detail: {
        operationId: "question.list",
        summary: "List pending questions",
        description: "Questions the agent is waiting on. Always empty here: this server's agent has no `question` tool.",
      },
    })
    .post("/question/:requestID/reply", ({ params }) => replyToQuestion(params.requestID), {
      params: Params,
      query: DirectoryQuery,
      body: t.Object({ answers: t.Array(QuestionAnswer, { description: "One answer per question, in order" }) }),
      response: { 200: t.Boolean() },
      detail: { operationId: "question.reply", summary: "Reply to question request", description: "404: no question is ever pending on this server." },
    })
    .post("/question/:requestID/reject", ({ params }) => replyToQuestion(params.requestID), {
      params: Params,
      query: DirectoryQuery,
      response: { 200: t.Boolean() },
      detail: { operationId: "question.reject", summary: "Reject question request", description: "404: no question is ever pending on this server." },
    })
}
