import type { Instance } from "../project/instance"
import type { ToolDef } from "./tool"
import * as builtin from "./builtin"
import { createLog } from "../util/log"
import { pluginTools } from "../plugin"

const log = createLog("tool.registry")

/** The shape of an agent this module needs; the agent domain's type satisfies it. */
export type AgentLike = { name: string; tools?: Record<string, boolean> }
export type ModelRef = { providerID: string; modelID: string }

export function builtinTools(): ToolDef[] {
  return Object.values(builtin) as ToolDef[]
}

/**
 * Every tool the model gets for one request: plugin and custom tools, built-ins, then the
 * connected MCP servers' tools, minus what the agent's `tools` map switches off. On a shared
 * id the first wins: a user's own tool replaces a built-in (as in opencode), and a built-in
 * beats an MCP tool. `model` is accepted so model-specific tool sets can be added here
 * without changing callers; none differ yet.
 */
export async function listTools(instance: Instance, opts: { agent?: AgentLike; model?: ModelRef } = {}): Promise<ToolDef[]> {
  const tools = [...(await pluginTools(instance)), ...builtinTools(), ...(await externalTools(instance))]
  const seen = new Set<string>()
  const enabled = tools.filter((tool) => {
    if (seen.has(tool.id)) return false
    seen.add(tool.id)
    return toolEnabled(tool.id, opts.agent?.tools)
  })
  return Promise.all(enabled.map(async (tool) => (tool.describe ? { ...tool, description: await tool.describe(instance) } : tool)))
}

async function externalTools(instance: Instance): Promise<ToolDef[]> {
  try {
    const mcp = await import("../mcp")
    return await mcp.mcpTools(instance)
  } catch (error) {
    // A broken MCP server must not take the built-in tools down with it.
    log.warn("mcp tools unavailable", { error })
    return []
  }
}

/**
 * Whether a `tools` map ({"bash": false, "mcp_*": false, ...}) leaves a tool on. An exact id
 * beats any wildcard; among wildcards the most specific (longest) pattern decides, and a
 * later entry wins a tie. Tools not mentioned are on.
 */
export function toolEnabled(id: string, rules: Record<string, boolean> | undefined): boolean {
  if (!rules) return true
  if (id in rules) return rules[id] !== false
  let best: { length: number; enabled: boolean } | undefined
  for (const [pattern, enabled] of Object.entries(rules)) {
    if (!pattern.includes("*") && !pattern.includes("?")) continue
    if (!wildcard(pattern).test(id)) continue
    if (!best || pattern.length >= best.length) best = { length: pattern.length, enabled: enabled !== false }
  }
  return best?.enabled ?? true
}

function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")
  return new RegExp(`^${body}$`)
}
