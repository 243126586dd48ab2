import type { McpResource } from "./schema"

/**
 * MCP resources offered for attaching to a prompt, keyed `<client>:<name>`. None: prompts here
 * cannot carry a resource part (their file parts name project files or carry data: URLs), so
 * a listed resource could never be attached. MCP tools work as usual.
 */
export function listMcpResources(): Record<string, McpResource> {
  return {}
}
