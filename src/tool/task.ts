import { t } from "../util/schema"
import TEMPLATE from "./task.txt" with { type: "text" }
import { defineTool, ToolError } from "./tool"
import type { Instance } from "../project/instance"
import { getInfo } from "../session/message-store"
import { getAgent, listSubagents } from "../agent/agent"

async function describe(instance: Instance) {
  const agents = await listSubagents(instance)
  const lines = agents.map((a) => `- ${a.name}: ${a.description?.trim() || "(no description; start it only when the user asks for it)"}`)
  return TEMPLATE.replace("{agents}", lines.join("\n") || "(none are configured)")
}

export const taskTool = defineTool({
  id: "task",
  description: TEMPLATE.replace("{agents}", "- general: a general-purpose subagent for multi-step research and work"),
  describe,
  parameters: t.Object({
    description: t.String({ description: "A short label (3-5 words) for the task, shown to the user" }),
    prompt: t.String({ description: "The complete, self-contained instructions for the subagent" }),
    subagent_type: t.String({ description: "Name of the subagent to run (one listed in this tool's description)" }),
    session_id: t.Optional(t.String({ description: "session_id of an earlier task to continue instead of starting afresh" })),
  }),
  async execute(args, ctx) {
    const allowed = await listSubagents(ctx.instance)
    if (!allowed.some((a) => a.name === args.subagent_type))
      throw new ToolError(`"${args.subagent_type}" is not a subagent. Choose one of: ${allowed.map((a) => a.name).join(", ") || "none"}.`)
    const message = getInfo(ctx.messageID)
    if (!message || message.role !== "assistant") throw new ToolError("The task tool can only run inside an agent's reply.")
    const result = await ctx.subagent({
      instance: ctx.instance,
      parent: { id: ctx.sessionID },
      agent: args.subagent_type,
      description: args.description,
      prompt: args.prompt,
      model: { providerID: message.providerID, modelID: message.modelID },
      sessionID: args.session_id,
      caller: await getAgent(ctx.instance, ctx.agent),
      signal: ctx.abort,
      onProgress: (metadata) => ctx.metadata({ title: args.description, metadata }),
    })
    return {
      title: args.description,
      output: `${result.text || "(The subagent finished without a final message.)"}\n\n(task session_id: ${result.sessionId})`,
      metadata: { sessionId: result.sessionId, summary: result.summary },
    }
  },
})
