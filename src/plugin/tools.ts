import type { TSchema } from "../util/schema"
import type { ToolAttachment, ToolContext, ToolDef, ToolResult } from "../tool/tool"
import { zod } from "./api-module"

/** What `tool()` from @opencode-ai/plugin returns: zod args, and an execute. */
export type ToolDefinition = {
  description: string
  args: Record<string, unknown>
  execute(args: any, ctx: unknown): Promise<unknown>
}

export function isToolDefinition(v: unknown): v is ToolDefinition {
  if (typeof v !== "object" || v === null) return false
  const d = v as Record<string, unknown>
  return typeof d.description === "string" && typeof d.execute === "function" && typeof d.args === "object" && d.args !== null
}

/**
 * A plugin tool as one of ours: its zod args become the JSON Schema the model sees and the
 * check its input must pass; it runs with the plugin API's ToolContext, whose `ask` goes
 * through our permission gate. Throws when the args are not zod schemas.
 */
export function fromDefinition(id: string, def: ToolDefinition): ToolDef {
  const schema = zod.object(def.args as Record<string, any>)
  const json = zod.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>
  delete json.$schema
  return {
    id,
    description: def.description,
    parameters: json as unknown as TSchema,
    validate(input) {
      const r = schema.safeParse(input)
      if (r.success) return undefined
      const first = r.error.issues[0]
      return first ? `${first.path.length ? first.path.join(".") : "(root)"}: ${first.message}` : "does not match the tool's schema"
    },
    async execute(args, ctx) {
      return toResult(await def.execute(schema.parse(args), pluginContext(ctx)))
    },
  }
}

function pluginContext(ctx: ToolContext) {
  return {
    sessionID: ctx.sessionID,
    messageID: ctx.messageID,
    callID: ctx.callID,
    agent: ctx.agent,
    directory: ctx.instance.directory,
    worktree: ctx.instance.worktree,
    abort: ctx.abort,
    metadata: (input: { title?: string; metadata?: Record<string, unknown> }) => ctx.metadata(input),
    ask: (input: { permission: string; patterns?: string[]; metadata?: Record<string, unknown> }) =>
      ctx.ask({
        type: input.permission,
        pattern: input.patterns?.length ? input.patterns : undefined,
        title: input.patterns?.length ? `${input.permission}: ${input.patterns.join(", ")}` : input.permission,
        metadata: input.metadata ?? {},
      }),
  }
}

function toResult(r: unknown): ToolResult {
  if (typeof r === "string") return { title: "", output: r }
  if (typeof r !== "object" || r === null) return { title: "", output: r === undefined ? "" : String(r) }
  const o = r as { title?: unknown; output?: unknown; metadata?: unknown; attachments?: unknown }
  const attachments = Array.isArray(o.attachments)
    ? o.attachments
        .filter((a): a is { mime: string; url: string; filename?: string } => typeof a?.mime === "string" && typeof a?.url === "string")
        .map((a): ToolAttachment => ({ type: "file", mime: a.mime, url: a.url, ...(a.filename ? { filename: a.filename } : {}) }))
    : undefined
  return {
    title: typeof o.title === "string" ? o.title : "",
    output: typeof o.output === "string" ? o.output : JSON.stringify(o.output ?? ""),
    ...(o.metadata && typeof o.metadata === "object" ? { metadata: o.metadata as Record<string, unknown> } : {}),
    ...(attachments?.length ? { attachments } : {}),
  }
}
