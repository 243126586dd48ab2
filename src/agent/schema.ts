import { t, type Static } from "../util/schema"

export const PermissionAction = t.Union([t.Literal("ask"), t.Literal("allow"), t.Literal("deny")], { $id: "PermissionAction" })
export type PermissionAction = Static<typeof PermissionAction>

export const AgentPermission = t.Object({
  edit: PermissionAction,
  /** Shell command glob -> action; the most specific (longest) matching pattern wins. */
  bash: t.Record(t.String(), PermissionAction),
  webfetch: t.Optional(PermissionAction),
  doom_loop: t.Optional(PermissionAction),
  external_directory: t.Optional(PermissionAction),
})
export type AgentPermission = Static<typeof AgentPermission>

export const Agent = t.Object(
  {
    name: t.String(),
    description: t.Optional(t.String()),
    mode: t.Union([t.Literal("subagent"), t.Literal("primary"), t.Literal("all")]),
    builtIn: t.Boolean(),
    topP: t.Optional(t.Number()),
    temperature: t.Optional(t.Number()),
    color: t.Optional(t.String()),
    permission: AgentPermission,
    model: t.Optional(t.Object({ modelID: t.String(), providerID: t.String() })),
    prompt: t.Optional(t.String()),
    tools: t.Record(t.String(), t.Boolean()),
    options: t.Record(t.String(), t.Unknown()),
    maxSteps: t.Optional(t.Number()),
    /** Kept out of the TUI's @ menu (opencode 1.18 reads it). */
    hidden: t.Optional(t.Boolean()),
  },
  { $id: "Agent" },
)
export type Agent = Static<typeof Agent>
