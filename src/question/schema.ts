import { t, type Static } from "../util/schema"

export const QuestionOption = t.Object({ label: t.String(), description: t.String() }, { $id: "QuestionOption" })

export const QuestionInfo = t.Object(
  {
    question: t.String({ description: "Complete question" }),
    header: t.String({ description: "Very short label (max 30 chars)" }),
    options: t.Array(QuestionOption, { description: "Available choices" }),
    multiple: t.Optional(t.Boolean()),
    custom: t.Optional(t.Boolean()),
  },
  { $id: "QuestionInfo" },
)

export const QuestionRequest = t.Object(
  {
    id: t.String({ pattern: "^que" }),
    sessionID: t.String({ pattern: "^ses" }),
    questions: t.Array(QuestionInfo, { description: "Questions to ask" }),
    tool: t.Optional(t.Object({ messageID: t.String(), callID: t.String() })),
  },
  { $id: "QuestionRequest" },
)
export type QuestionRequest = Static<typeof QuestionRequest>

export const QuestionAnswer = t.Array(t.String(), { $id: "QuestionAnswer", description: "Selected option labels (or custom text)" })
