import { t, type Static } from "../util/schema"
import * as Store from "./store"
import { evaluate, type Rule } from "./rules"
import { PermissionAction } from "./schema"
import { match } from "./wildcard"

// Rules a client attaches to one session (opencode 1.18's `permission` on POST /session, e.g.
// the CLI's `question: deny`). As in opencode, they come after every other rule and the last
// one matching decides, so a session can forbid what config and agent would allow. A child
// session (a subagent's) is bound by its ancestors' rules too.

export const PermissionRule = t.Object({
  permission: t.String({ minLength: 1, description: "Permission type (edit, bash, webfetch, ...); * and ? wildcards allowed" }),
  pattern: t.String({ description: "What the rule covers (a command, a path, a URL); * and ? wildcards allowed" }),
  action: PermissionAction,
})
export type PermissionRule = Static<typeof PermissionRule>

export function setSessionRules(sessionID: string, rules: PermissionRule[] | undefined) {
  if (!rules) return
  Store.setSessionRules(sessionID, rules.map((r) => ({ permission: r.permission, pattern: r.pattern, action: r.action })))
}

/** The session's own rules after its ancestors' (later rules win). */
export function sessionRules(sessionID: string): PermissionRule[] {
  return Store.sessionRulesUp(sessionID).flatMap((r) => JSON.parse(r) as PermissionRule[])
}

/**
 * The verdict for a request with several subjects (any deny denies, any ask asks). Per
 * subject, the last session rule matching type and subject decides; without one, `base`
 * (defaults, config, agent) does.
 */
export function decide(sessionID: string, base: Rule[], type: string, subjects: string[]): { action: PermissionAction; subject?: string } {
  const own = sessionRules(sessionID)
  let ask: string | undefined
  for (const subject of subjects) {
    const hit = own.findLast((r) => (r.permission === type || match(type, r.permission)) && match(subject, r.pattern))
    const action = hit ? hit.action : evaluate(base, type, subject)
    if (action === "deny") return { action, subject }
    if (action === "ask") ask ??= subject
  }
  return ask === undefined ? { action: "allow" } : { action: "ask", subject: ask }
}
