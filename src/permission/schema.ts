import { t, type Static } from "../util/schema"

export const PermissionAction = t.Union([t.Literal("allow"), t.Literal("ask"), t.Literal("deny")])
export type PermissionAction = Static<typeof PermissionAction>

/** A pending request as the v1 SDK sees it (`Permission` in types.gen.d.ts). */
export const Permission = t.Object(
  {
    id: t.String(),
    type: t.String(),
    pattern: t.Optional(t.Union([t.String(), t.Array(t.String())])),
    sessionID: t.String(),
    messageID: t.String(),
    callID: t.Optional(t.String()),
    title: t.String(),
    metadata: t.Record(t.String(), t.Unknown()),
    time: t.Object({ created: t.Number() }),
  },
  { $id: "Permission" },
)
export type Permission = Static<typeof Permission>

export const PermissionResponse = t.Union([t.Literal("once"), t.Literal("always"), t.Literal("reject")])
export type PermissionResponse = Static<typeof PermissionResponse>

/**
 * The same request in the shape opencode 1.18 clients read (`permission.asked`, GET
 * /permission): the current CLI and TUI prompt from this one.
 */
export const PermissionRequestInfo = t.Object(
  {
    id: t.String(),
    sessionID: t.String(),
    permission: t.String(),
    patterns: t.Array(t.String()),
    metadata: t.Record(t.String(), t.Unknown()),
    always: t.Array(t.String()),
    tool: t.Optional(t.Object({ messageID: t.String(), callID: t.String() })),
  },
  { $id: "PermissionRequest" },
)
export type PermissionRequestInfo = Static<typeof PermissionRequestInfo>

export function toRequestInfo(p: Permission): PermissionRequestInfo {
  const patterns = patternList(p.pattern)
  return {
    id: p.id,
    sessionID: p.sessionID,
    permission: p.type,
    patterns: patterns.length ? patterns : ["*"],
    metadata: p.metadata,
    always: patterns.length ? patterns : ["*"],
    ...(p.callID ? { tool: { messageID: p.messageID, callID: p.callID } } : {}),
  }
}

export function patternList(pattern: string | string[] | undefined): string[] {
  if (pattern === undefined) return []
  return Array.isArray(pattern) ? pattern : [pattern]
}
