import { t, type Static } from "../util/schema"
import { listAgents, type Agent } from "../agent/agent"
import type { PermissionAction } from "../agent/schema"
import type { Instance } from "../project/instance"
import { redactSecrets } from "../config/secrets"
import { ModelRef, ProviderRequest, modelRef } from "./schema"

export const PermissionV2Effect = t.Union([t.Literal("allow"), t.Literal("deny"), t.Literal("ask")], { $id: "PermissionV2Effect" })
export const PermissionV2Rule = t.Object(
  { action: t.String(), resource: t.String(), effect: PermissionV2Effect },
  { $id: "PermissionV2Rule" },
)
export type PermissionV2Rule = Static<typeof PermissionV2Rule>
export const PermissionV2Ruleset = t.Array(PermissionV2Rule, {
  $id: "PermissionV2Ruleset",
  description: "Ordered rules: the last one matching a tool call's action and resource decides",
})

const THEME_COLORS = ["primary", "secondary", "accent", "success", "warning", "error", "info"] as const
export const AgentColor = t.Union([t.String({ pattern: "^#[0-9a-fA-F]{6}$" }), t.Union(THEME_COLORS.map((c) => t.Literal(c)))], {
  $id: "AgentColor",
})

export const AgentV2Info = t.Object(
  {
    id: t.String(),
    model: t.Optional(ModelRef),
    request: ProviderRequest,
    system: t.Optional(t.String({ description: "The agent's own instructions" })),
    description: t.Optional(t.String()),
    mode: t.Union([t.Literal("subagent"), t.Literal("primary"), t.Literal("all")]),
    hidden: t.Boolean(),
    color: t.Optional(AgentColor),
    steps: t.Optional(t.Integer({ exclusiveMinimum: 0, description: "Maximum agentic iterations" })),
    permissions: PermissionV2Ruleset,
  },
  { $id: "AgentV2Info" },
)
export type AgentV2Info = Static<typeof AgentV2Info>

/** The agents of a location (built-ins merged with config), as the v2 API describes them. */
export async function listAgentsV2(instance: Instance): Promise<AgentV2Info[]> {
  return (await listAgents(instance)).map(toAgentV2)
}

export function toAgentV2(agent: Agent): AgentV2Info {
  const body: Record<string, unknown> = { ...agent.options }
  if (agent.temperature !== undefined) body.temperature = agent.temperature
  if (agent.topP !== undefined) body.top_p = agent.topP
  // Model variants are not supported here: the agent loader ignores `variant`.
  const model = agent.model && modelRef(`${agent.model.providerID}/${agent.model.modelID}`, undefined)
  const maxSteps = agent.maxSteps
  return {
    id: agent.name,
    ...(model ? { model } : {}),
    request: { headers: {}, body: redactSecrets(body) },
    ...(agent.prompt !== undefined ? { system: agent.prompt } : {}),
    ...(agent.description !== undefined ? { description: agent.description } : {}),
    mode: agent.mode,
    hidden: agent.hidden === true,
    ...(isColor(agent.color) ? { color: agent.color } : {}),
    ...(Number.isInteger(maxSteps) && (maxSteps as number) > 0 ? { steps: maxSteps as number } : {}),
    permissions: permissionRules(agent),
  }
}

/**
 * The agent's permissions as an ordered ruleset (last match wins): everything allowed, then
 * each permission type, bash patterns shortest first (here the longest matching pattern
 * wins), then tools the agent has switched off, which no permission can turn back on.
 */
export function permissionRules(agent: Agent): PermissionV2Rule[] {
  const p = agent.permission
  const rules: PermissionV2Rule[] = [{ action: "*", resource: "*", effect: "allow" }]
  const add = (action: string, resource: string, effect: PermissionAction) => rules.push({ action, resource, effect })
  add("edit", "*", p.edit)
  const patterns = Object.entries(p.bash).sort(([a], [b]) => a.length - b.length || a.localeCompare(b))
  for (const [pattern, effect] of patterns) add("bash", pattern, effect)
  for (const type of ["webfetch", "doom_loop", "external_directory"] as const) {
    const effect = p[type]
    if (effect) add(type, "*", effect)
  }
  const off = new Set(Object.entries(agent.tools).filter(([, on]) => on === false).map(([name]) => toolAction(name)))
  for (const action of off) add(action, "*", "deny")
  return rules
}

// Writes of every kind are the "edit" permission in opencode's rulesets.
function toolAction(tool: string) {
  return tool === "write" || tool === "patch" ? "edit" : tool
}

function isColor(c: string | undefined): c is string {
  return c !== undefined && (/^#[0-9a-fA-F]{6}$/.test(c) || (THEME_COLORS as readonly string[]).includes(c))
}
