import type { AgentPermission, PermissionAction } from "./schema"

/**
 * Permission as written in config: one action for everything, or per type; `bash` may be one
 * action for every command; `"*"` sets every type (keys later in the object override it).
 */
export type PermissionConfig =
  | PermissionAction
  | {
      "*"?: PermissionAction
      edit?: PermissionAction
      bash?: PermissionAction | Record<string, PermissionAction>
      webfetch?: PermissionAction
      doom_loop?: PermissionAction
      external_directory?: PermissionAction
    }

const TYPES = ["edit", "bash", "webfetch", "doom_loop", "external_directory"] as const

function bashMap(bash: PermissionAction | Record<string, PermissionAction> | undefined): Record<string, PermissionAction> | undefined {
  if (bash === undefined) return undefined
  return typeof bash === "string" ? { "*": bash } : bash
}

/** `over` wins key by key; bash patterns merge pattern by pattern. */
export function overlay(base: AgentPermission, over: PermissionConfig | undefined): AgentPermission {
  if (!over) return base
  const out: AgentPermission = { ...base, bash: { ...base.bash } }
  const entries = typeof over === "string" ? [["*", over] as const] : Object.entries(over)
  for (const [k, v] of entries) {
    if (v === undefined) continue
    if (k === "*" && typeof v === "string") {
      for (const type of TYPES) (out as any)[type] = type === "bash" ? { "*": v } : v
    } else if (k === "bash") {
      // A single action replaces every pattern: "bash": "deny" must not leave old allows behind.
      out.bash = typeof v === "string" ? { "*": v } : { ...out.bash, ...bashMap(v as any) }
    } else (out as any)[k] = v
  }
  return out
}
