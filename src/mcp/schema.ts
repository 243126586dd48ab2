import { t, type Static } from "../util/schema"

export const McpLocalConfig = t.Object(
  {
    type: t.Literal("local"),
    command: t.Array(t.String(), { minItems: 1 }),
    cwd: t.Optional(t.String()),
    environment: t.Optional(t.Record(t.String(), t.String())),
    enabled: t.Optional(t.Boolean()),
    timeout: t.Optional(t.Integer({ exclusiveMinimum: 0 })),
  },
  { $id: "McpLocalConfig", additionalProperties: false },
)
export const McpOAuthConfig = t.Object(
  {
    clientId: t.Optional(t.String()),
    clientSecret: t.Optional(t.String()),
    scope: t.Optional(t.String()),
    callbackPort: t.Optional(t.Integer({ minimum: 1, maximum: 65535 })),
    redirectUri: t.Optional(t.String()),
  },
  { $id: "McpOAuthConfig", additionalProperties: false },
)
export const McpRemoteConfig = t.Object(
  {
    type: t.Literal("remote"),
    url: t.String(),
    enabled: t.Optional(t.Boolean()),
    headers: t.Optional(t.Record(t.String(), t.String())),
    oauth: t.Optional(t.Union([McpOAuthConfig, t.Literal(false)])),
    timeout: t.Optional(t.Integer({ exclusiveMinimum: 0 })),
  },
  { $id: "McpRemoteConfig", additionalProperties: false },
)
export const McpConfig = t.Union([McpLocalConfig, McpRemoteConfig])
export type McpConfig = Static<typeof McpConfig>

export const McpStatus = t.Union(
  [
    t.Object({ status: t.Literal("connected") }, { $id: "MCPStatusConnected" }),
    t.Object({ status: t.Literal("disabled") }, { $id: "MCPStatusDisabled" }),
    t.Object({ status: t.Literal("failed"), error: t.String() }, { $id: "MCPStatusFailed" }),
    t.Object({ status: t.Literal("needs_auth") }, { $id: "MCPStatusNeedsAuth" }),
    t.Object({ status: t.Literal("needs_client_registration"), error: t.String() }, { $id: "MCPStatusNeedsClientRegistration" }),
  ],
  { $id: "MCPStatus" },
)
export type McpStatus = Static<typeof McpStatus>
