import { t, type Static } from "../util/schema"
import { listCommands, type Command } from "../command"
import type { Instance } from "../project/instance"
import { ModelRef, modelRef } from "./schema"

export const CommandV2Info = t.Object(
  {
    name: t.String(),
    template: t.String(),
    description: t.Optional(t.String()),
    agent: t.Optional(t.String()),
    model: t.Optional(ModelRef),
    subtask: t.Optional(t.Boolean()),
  },
  { $id: "CommandV2Info" },
)
export type CommandV2Info = Static<typeof CommandV2Info>

/** Built-in and config commands of a location, as the v2 API describes them. */
export async function listCommandsV2(instance: Instance): Promise<CommandV2Info[]> {
  return (await listCommands(instance)).map(toCommandV2)
}

export function toCommandV2(c: Command): CommandV2Info {
  const model = c.model === undefined ? undefined : modelRef(c.model)
  return {
    name: c.name,
    template: c.template,
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(c.agent !== undefined ? { agent: c.agent } : {}),
    ...(model ? { model } : {}),
    ...(c.subtask !== undefined ? { subtask: c.subtask } : {}),
  }
}
