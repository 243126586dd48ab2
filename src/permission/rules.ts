import { match } from "./wildcard"
import type { PermissionAction } from "./schema"

export type Rule = { type: string; pattern: string; action: PermissionAction }

/** Config `permission`, or an agent's: one action for everything, or per type an action or {pattern: action}. */
export type PermissionConfig = PermissionAction | Record<string, PermissionAction | Record<string, PermissionAction> | undefined>

/** What applies when nothing is configured: edits and commands run, leaving the project or looping asks. */
export const DEFAULTS: Rule[] = [
  { type: "*", pattern: "*", action: "allow" },
  { type: "external_directory", pattern: "*", action: "ask" },
  { type: "doom_loop", pattern: "*", action: "ask" },
]

const ACTIONS = new Set(["allow", "ask", "deny"])

/** Config entries in declaration order. Unknown action values are skipped rather than guessed. */
export function fromConfig(cfg: unknown): Rule[] {
  if (typeof cfg === "string") return ACTIONS.has(cfg) ? [{ type: "*", pattern: "*", action: cfg as PermissionAction }] : []
  if (!cfg || typeof cfg !== "object") return []
  const out: Rule[] = []
  for (const [type, value] of Object.entries(cfg)) {
    if (typeof value === "string") {
      if (ACTIONS.has(value)) out.push({ type, pattern: "*", action: value as PermissionAction })
      continue
    }
    if (!value || typeof value !== "object") continue
    for (const [pattern, action] of Object.entries(value))
      if (typeof action === "string" && ACTIONS.has(action)) out.push({ type, pattern, action: action as PermissionAction })
  }
  return out
}

/** Defaults, then the config's rules, then the agent's: later layers win ties. */
export function ruleset(config: unknown, agent: unknown): Rule[] {
  return [...DEFAULTS, ...fromConfig(config), ...fromConfig(agent)]
}

/**
 * Among the rules matching both type and subject, the most specific (longest) pattern
 * decides, as in opencode's v1 agents ("git push *" beats "git *" beats "*" whatever their
 * order); between equally long patterns the later one wins, so an agent's rule overrides
 * the config's. For the usual "catch-all first, specifics after" config this is the same
 * answer as opencode 1.x's last-match rule.
 */
export function evaluate(rules: Rule[], type: string, subject: string): PermissionAction {
  let best: Rule | undefined
  for (const r of rules) {
    if (r.type !== type && !match(type, r.type)) continue
    if (!match(subject, r.pattern)) continue
    if (!best || r.pattern.length >= best.pattern.length) best = r
  }
  return best?.action ?? "ask"
}

/** Several subjects (e.g. each command of a pipeline): any deny denies, any ask asks. */
export function evaluateAll(rules: Rule[], type: string, subjects: string[]): { action: PermissionAction; subject?: string } {
  let ask: string | undefined
  for (const s of subjects) {
    const a = evaluate(rules, type, s)
    if (a === "deny") return { action: "deny", subject: s }
    if (a === "ask") ask ??= s
  }
  return ask === undefined ? { action: "allow" } : { action: "ask", subject: ask }
}

/**
 * The SDK `Agent.permission` view of a ruleset (what GET /agent shows): per type the
 * action for "*", and bash as its pattern map.
 */
export function summarize(rules: Rule[]) {
  const top = (type: string) => evaluate(rules, type, "*")
  const bash: Record<string, PermissionAction> = {}
  for (const r of rules) if (r.type === "bash" || r.type === "*") bash[r.pattern] = r.action
  return {
    edit: top("edit"),
    bash,
    webfetch: top("webfetch"),
    doom_loop: top("doom_loop"),
    external_directory: top("external_directory"),
  }
}
