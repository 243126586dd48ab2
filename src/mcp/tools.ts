import { t, TypeRegistry } from "../util/schema"
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import type { Tool } from "@modelcontextprotocol/sdk/types.js"
import { ToolError, type ToolAttachment, type ToolDef, type ToolResult } from "../tool/tool"

// MCP tools bring their own JSON Schema. We hand it to the model as is and let the MCP server
// validate the arguments, so the TypeBox side only checks that the input is an object.
const INPUT_KIND = "McpToolInput"
const Kind = Symbol.for("TypeBox.Kind")
if (!TypeRegistry.Has(INPUT_KIND))
  TypeRegistry.Set(INPUT_KIND, (_schema, value) => typeof value === "object" && value !== null && !Array.isArray(value))

/** `<server>_<tool>` with everything but letters, digits, `_` and `-` replaced, as opencode does. */
export function toolId(server: string, tool: string) {
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9_-]/g, "_")
  return `${clean(server)}_${clean(tool)}`
}

export function toToolDef(server: string, client: Client, tool: Tool, timeout: number): ToolDef {
  const schema = { ...tool.inputSchema, type: "object", properties: tool.inputSchema.properties ?? {} }
  return {
    id: toolId(server, tool.name),
    description: tool.description ?? tool.title ?? `Tool ${tool.name} of the MCP server ${server}`,
    parameters: t.Unsafe<Record<string, unknown>>({ ...schema, [Kind]: INPUT_KIND }),
    async execute(args, ctx) {
      // Already loaded by the connection this tool came from; kept out of start-up.
      const { CallToolResultSchema, ErrorCode, McpError } = await import("@modelcontextprotocol/sdk/types.js")
      let result
      try {
        result = await client.callTool({ name: tool.name, arguments: args as Record<string, unknown> }, CallToolResultSchema, {
          signal: ctx.abort,
          timeout,
          resetTimeoutOnProgress: true,
        })
      } catch (e) {
        if (ctx.abort.aborted) throw new ToolError(`The call to ${server}/${tool.name} was aborted`)
        if (e instanceof McpError && e.code === ErrorCode.RequestTimeout)
          throw new ToolError(`The MCP server ${server} did not answer ${tool.name} within ${timeout} ms`)
        throw new ToolError(`The MCP server ${server} failed on ${tool.name}: ${e instanceof Error ? e.message : String(e)}`)
      }
      const out = toResult(`${server}: ${tool.title ?? tool.name}`, result as CallResult)
      if (result.isError) throw new ToolError(out.output || `${tool.name} reported an error`)
      return out
    },
  }
}

type CallResult = { content?: Array<Record<string, any>>; structuredContent?: unknown }

/** Text content becomes the output; images (and binary resources) become attachments. */
export function toResult(title: string, result: CallResult): ToolResult {
  const texts: string[] = []
  const attachments: ToolAttachment[] = []
  for (const c of result.content ?? []) {
    if (c.type === "text") texts.push(c.text)
    else if (c.type === "image" || c.type === "audio")
      attachments.push({ type: "file", mime: c.mimeType, url: `data:${c.mimeType};base64,${c.data}` })
    else if (c.type === "resource" && typeof c.resource?.text === "string") texts.push(c.resource.text)
    else if (c.type === "resource" && typeof c.resource?.blob === "string") {
      const mime = c.resource.mimeType ?? "application/octet-stream"
      attachments.push({ type: "file", mime, filename: c.resource.uri, url: `data:${mime};base64,${c.resource.blob}` })
    } else if (c.type === "resource_link") texts.push(`Resource: ${c.name ?? ""} ${c.uri}`.trim())
  }
  if (!texts.length && result.structuredContent !== undefined) texts.push(JSON.stringify(result.structuredContent, null, 2))
  return { title, output: texts.join("\n\n"), ...(attachments.length ? { attachments } : {}) }
}
