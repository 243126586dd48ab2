import type { AgentPermission, PermissionAction } from "./schema"

/** Permission as written in config: `bash` may be one action for every command. */
export type PermissionConfig = {
  edit?: PermissionAction
  bash?: PermissionAction | Record<string, PermissionAction>
  webfetch?: PermissionAction
  doom_loop?: PermissionAction
  external_directory?: PermissionAction
}

const RANK: Record<PermissionAction, number> = { allow: 0, ask: 1, deny: 2 }

function bashMap(bash: PermissionConfig["bash"]): Record<string, PermissionAction> | undefined {
  if (bash === undefined) return undefined
  return typeof bash === "string" ? { "*": bash } : bash
}

/** `over` wins key by key; bash patterns merge pattern by pattern. */
export function overlay(base: AgentPermission, over: PermissionConfig | undefined): AgentPermission {
  if (!over) return base
  const out: AgentPermission = { ...base, bash: { ...base.bash } }
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue
    if (k === "bash") {
      // A single action replaces every pattern: "bash": "deny" must not leave old allows behind.
      out.bash = typeof v === "string" ? { "*": v } : { ...out.bash, ...bashMap(v as any) }
    } else (out as any)[k] = v
  }
  return out
}

/**
 * A built-in agent's own defaults combined with the user's global rules: the stricter action
 * wins, so a global `permission` can tighten plan but never loosen its read-only stance (the
 * agent's own `agent.plan.permission` is the place to loosen it).
 */
export function strictest(base: AgentPermission, own: PermissionConfig): AgentPermission {
  const out: AgentPermission = { ...base, bash: { ...base.bash } }
  for (const [k, v] of Object.entries(own)) {
    if (v === undefined) continue
    if (k === "bash") {
      for (const [pattern, action] of Object.entries(bashMap(v as any) ?? {})) {
        const prev = out.bash[pattern]
        out.bash[pattern] = prev && RANK[prev] > RANK[action] ? prev : action
      }
    } else {
      const prev = (out as any)[k] as PermissionAction | undefined
      ;(out as any)[k] = prev && RANK[prev] > RANK[v as PermissionAction] ? prev : v
    }
  }
  return out
}
