import { t, type Static } from "../util/schema"

export const Command = t.Object(
  {
    name: t.String(),
    description: t.Optional(t.String()),
    agent: t.Optional(t.String()),
    model: t.Optional(t.String()),
    template: t.String(),
    subtask: t.Optional(t.Boolean()),
    /** Placeholders the template expects ($1, $2, $ARGUMENTS), for clients' argument hints. */
    hints: t.Array(t.String()),
  },
  { $id: "Command" },
)
export type Command = Static<typeof Command>
