import type { Static, TSchema } from "../util/schema"
import type { Instance } from "../project/instance"
import type { FilePart } from "../session/schema"
import type { SubagentRunner } from "../session/subagent"

/** What the agent loop gives a running tool. Tools never see HTTP or the database. */
export type ToolContext = {
  instance: Instance
  sessionID: string
  messageID: string
  callID: string
  agent: string
  /** Aborts when the session is aborted: stop work, kill child processes. */
  abort: AbortSignal
  /** Updates the running tool part's title/metadata (e.g. streaming bash output). */
  metadata(update: { title?: string; metadata?: Record<string, unknown> }): void
  /**
   * Passes the permission gate or throws a PermissionDeniedError the model will see.
   * type: "edit" | "bash" | "webfetch" | "external_directory" | "doom_loop" | ...
   */
  ask(request: PermissionRequest): Promise<void>
  /**
   * Runs a subagent in a child session (the `task` tool). Given by the loop so that tools never
   * import the session modules, which import the tool registry.
   */
  subagent: SubagentRunner
}

export type PermissionRequest = {
  type: string
  pattern?: string | string[]
  title: string
  metadata?: Record<string, unknown>
}

export type ToolAttachment = Omit<FilePart, "id" | "sessionID" | "messageID">

export type ToolResult = {
  title: string
  output: string
  metadata?: Record<string, unknown>
  attachments?: ToolAttachment[]
}

export type ToolDef<P extends TSchema = TSchema> = {
  id: string
  /** Model-facing text, written by us, imported from a .txt beside the tool. */
  description: string
  /** TypeBox schema: validates the model's input and is the JSON Schema the model sees. */
  parameters: P
  /** For a description that depends on the project (e.g. which agents exist): built per request. */
  describe?(instance: Instance): Promise<string>
  /** For tools whose `parameters` is plain JSON Schema (plugin tools): the input check, answering what is wrong. */
  validate?(input: unknown): string | undefined
  execute(args: Static<P>, ctx: ToolContext): Promise<ToolResult>
}

export function defineTool<P extends TSchema>(def: ToolDef<P>): ToolDef<P> {
  return def
}

/** A failure the model should read as the tool's result, not a crash. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "ToolError"
  }
}

export class PermissionDeniedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "PermissionDeniedError"
  }
}

/**
 * The user said no without saying what to do instead: as in opencode, the reply stops there
 * rather than letting the model try something else (`experimental.continue_loop_on_deny`).
 */
export class PermissionRejectedError extends PermissionDeniedError {}
