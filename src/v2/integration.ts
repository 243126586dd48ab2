import { t, type Static } from "../util/schema"
import type { Instance } from "../project/instance"
import { readAuth } from "../provider/auth-store"
import { registry, type Entry } from "../provider/registry"
import type { Auth } from "../provider/schema"

// An integration is what a user connects to use a provider: how (methods) and what is
// connected now (stored credentials, set environment variables).

const IntegrationWhen = t.Object(
  { key: t.String(), op: t.Union([t.Literal("eq"), t.Literal("neq")]), value: t.String() },
  { $id: "IntegrationWhen" },
)
const IntegrationTextPrompt = t.Object(
  { type: t.Literal("text"), key: t.String(), message: t.String(), placeholder: t.Optional(t.String()), when: t.Optional(IntegrationWhen) },
  { $id: "IntegrationTextPrompt" },
)
const IntegrationSelectPrompt = t.Object(
  {
    type: t.Literal("select"),
    key: t.String(),
    message: t.String(),
    options: t.Array(t.Object({ label: t.String(), value: t.String(), hint: t.Optional(t.String()) })),
    when: t.Optional(IntegrationWhen),
  },
  { $id: "IntegrationSelectPrompt" },
)
export const IntegrationOAuthMethod = t.Object(
  { id: t.String(), type: t.Literal("oauth"), label: t.String(), prompts: t.Optional(t.Array(t.Union([IntegrationTextPrompt, IntegrationSelectPrompt]))) },
  { $id: "IntegrationOAuthMethod" },
)
export const IntegrationKeyMethod = t.Object({ type: t.Literal("key"), label: t.Optional(t.String()) }, { $id: "IntegrationKeyMethod" })
export const IntegrationEnvMethod = t.Object(
  { type: t.Literal("env"), names: t.Array(t.String(), { description: "Environment variables any of which connects it" }) },
  { $id: "IntegrationEnvMethod" },
)
export const IntegrationMethod = t.Union([IntegrationOAuthMethod, IntegrationKeyMethod, IntegrationEnvMethod], { $id: "IntegrationMethod" })

export const ConnectionCredentialInfo = t.Object(
  { type: t.Literal("credential"), id: t.String(), label: t.String() },
  { $id: "ConnectionCredentialInfo" },
)
export const ConnectionEnvInfo = t.Object({ type: t.Literal("env"), name: t.String() }, { $id: "ConnectionEnvInfo" })
export const ConnectionInfo = t.Union([ConnectionCredentialInfo, ConnectionEnvInfo], { $id: "ConnectionInfo" })
type ConnectionInfo = Static<typeof ConnectionInfo>

export const IntegrationInfo = t.Object(
  {
    id: t.String(),
    name: t.String(),
    methods: t.Array(IntegrationMethod),
    connections: t.Array(ConnectionInfo, { description: "Active first: the one a provider call would use" }),
  },
  { $id: "IntegrationInfo" },
)
export type IntegrationInfo = Static<typeof IntegrationInfo>

/**
 * One integration per provider that takes a key (those the catalog or config names key
 * variables for), sorted by name. Every one connects with a key (PUT /auth/:id) or one of
 * its variables; this server offers no OAuth.
 */
export async function listIntegrations(instance: Instance): Promise<IntegrationInfo[]> {
  const auth = readAuth()
  return [...(await registry(instance)).providers.values()]
    .filter(takesKey)
    .map((e) => toIntegration(e, auth[e.info.id]))
    .sort((a, b) => a.name.localeCompare(b.name))
}

export async function getIntegration(instance: Instance, integrationID: string): Promise<IntegrationInfo | undefined> {
  const entry = (await registry(instance)).providers.get(integrationID)
  return entry && takesKey(entry) ? toIntegration(entry, readAuth()[integrationID]) : undefined
}

const takesKey = (e: Entry) => e.info.env.length > 0

// A stored credential wins over the environment when calling the provider, so it comes first.
function toIntegration(e: Entry, stored: Auth | undefined): IntegrationInfo {
  const connections: ConnectionInfo[] = []
  if (stored) connections.push({ type: "credential", id: e.info.id, label: LABEL[stored.type] })
  for (const name of e.info.env) if (process.env[name]) connections.push({ type: "env", name })
  return {
    id: e.info.id,
    name: e.info.name,
    methods: [{ type: "key" }, { type: "env", names: [...e.info.env] }],
    connections,
  }
}

const LABEL: Record<Auth["type"], string> = { api: "API key", oauth: "OAuth", wellknown: "Well-known token" }
