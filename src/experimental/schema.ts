import { t, type Static } from "../util/schema"

export const ExperimentalCapabilities = t.Object(
  { backgroundSubagents: t.Boolean({ description: "Whether subagents can be moved to the background while the parent session goes on" }) },
  { $id: "ExperimentalCapabilities" },
)
export type ExperimentalCapabilities = Static<typeof ExperimentalCapabilities>

export const ConsoleState = t.Object(
  {
    consoleManagedProviders: t.Array(t.String(), { description: "Providers whose credentials come from the active Console org" }),
    activeOrgName: t.Optional(t.String()),
    switchableOrgCount: t.Integer({ minimum: 0 }),
  },
  { $id: "ConsoleState" },
)
export type ConsoleState = Static<typeof ConsoleState>

export const ConsoleOrg = t.Object(
  {
    accountID: t.String(),
    accountEmail: t.String(),
    accountUrl: t.String(),
    orgID: t.String(),
    orgName: t.String(),
    active: t.Boolean(),
  },
  { $id: "ConsoleOrg" },
)
export type ConsoleOrg = Static<typeof ConsoleOrg>

export const Workspace = t.Object(
  {
    id: t.String({ pattern: "^wrk" }),
    type: t.String(),
    name: t.String(),
    branch: t.Union([t.String(), t.Null()]),
    directory: t.Union([t.String(), t.Null()]),
    extra: t.Unknown(),
    projectID: t.String(),
    timeUsed: t.Number(),
  },
  { $id: "Workspace" },
)
export type Workspace = Static<typeof Workspace>

export const WorkspaceStatus = t.Object(
  {
    workspaceID: t.String({ pattern: "^wrk" }),
    status: t.Union([t.Literal("connected"), t.Literal("connecting"), t.Literal("disconnected"), t.Literal("error")]),
  },
  { $id: "WorkspaceEventConnectionStatus" },
)
export type WorkspaceStatus = Static<typeof WorkspaceStatus>

export const WorkspaceAdapter = t.Object({ type: t.String(), name: t.String(), description: t.String() }, { $id: "WorkspaceAdapter" })
export type WorkspaceAdapter = Static<typeof WorkspaceAdapter>

export const McpResource = t.Object(
  { name: t.String(), uri: t.String(), description: t.Optional(t.String()), mimeType: t.Optional(t.String()), client: t.String() },
  { $id: "McpResource" },
)
export type McpResource = Static<typeof McpResource>
