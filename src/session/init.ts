import type { Instance } from "../project/instance"
import { markInitialized } from "../project/project"
import { runCommand } from "./command"
import { ReplyFailedError } from "./reply-error"

/**
 * POST /session/:id/init: runs the built-in `init` command (the agent studies the project and
 * writes AGENTS.md) with the given model, then records the project as initialized.
 */
export async function initProject(instance: Instance, sessionID: string, input: { messageID: string; providerID: string; modelID: string }): Promise<true> {
  const reply = await runCommand(instance, sessionID, {
    messageID: input.messageID,
    model: `${input.providerID}/${input.modelID}`,
    command: "init",
    arguments: "",
  })
  if (reply.info.role === "assistant" && reply.info.error) throw new ReplyFailedError(reply.info.error, "The project was not initialized")
  markInitialized(instance.project.id)
  instance.project.time.initialized = Date.now()
  return true
}
