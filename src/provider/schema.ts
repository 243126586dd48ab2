import { t, type Static } from "../util/schema"

// Wire shapes of the reference server (opencode 1.18.33 spec); $id names the /doc component.

const Modalities = t.Object({ text: t.Boolean(), audio: t.Boolean(), image: t.Boolean(), video: t.Boolean(), pdf: t.Boolean() })
const CacheCost = t.Object({ read: t.Number(), write: t.Number() })

export const Model = t.Object(
  {
    id: t.String(),
    providerID: t.String(),
    api: t.Object({ id: t.String(), url: t.String(), npm: t.String() }),
    name: t.String(),
    family: t.Optional(t.String()),
    capabilities: t.Object({
      temperature: t.Boolean(),
      reasoning: t.Boolean(),
      attachment: t.Boolean(),
      toolcall: t.Boolean(),
      input: Modalities,
      output: Modalities,
      interleaved: t.Union([t.Boolean(), t.Object({ field: t.String() })]),
    }),
    cost: t.Object({
      input: t.Number({ description: "USD per 1M input tokens" }),
      output: t.Number({ description: "USD per 1M output tokens" }),
      cache: CacheCost,
      experimentalOver200K: t.Optional(t.Object({ input: t.Number(), output: t.Number(), cache: CacheCost })),
      cache_read: t.Optional(t.Number()),
      cache_write: t.Optional(t.Number()),
    }),
    limit: t.Object({ context: t.Number(), input: t.Optional(t.Number()), output: t.Number() }),
    status: t.Union([t.Literal("alpha"), t.Literal("beta"), t.Literal("deprecated"), t.Literal("active")]),
    options: t.Record(t.String(), t.Unknown()),
    headers: t.Record(t.String(), t.String()),
    release_date: t.String(),
    // The v1 SDK's flat, models.dev-style fields: present in GET /provider's `all` only.
    attachment: t.Optional(t.Boolean()),
    reasoning: t.Optional(t.Boolean()),
    temperature: t.Optional(t.Boolean()),
    tool_call: t.Optional(t.Boolean()),
    modalities: t.Optional(t.Object({ input: t.Array(t.String()), output: t.Array(t.String()) })),
    provider: t.Optional(t.Object({ npm: t.String() })),
  },
  { $id: "Model" },
)
export type Model = Static<typeof Model>

export const Provider = t.Object(
  {
    id: t.String(),
    name: t.String(),
    source: t.Union([t.Literal("env"), t.Literal("config"), t.Literal("custom"), t.Literal("api")]),
    env: t.Array(t.String()),
    key: t.Optional(t.String()),
    options: t.Record(t.String(), t.Unknown()),
    models: t.Record(t.String(), Model),
    // v1 SDK fields, in GET /provider's `all` only.
    npm: t.Optional(t.String()),
    api: t.Optional(t.String()),
  },
  { $id: "Provider" },
)
export type Provider = Static<typeof Provider>

export const ProviderList = t.Object({
  all: t.Array(Provider),
  default: t.Record(t.String(), t.String()),
  connected: t.Array(t.String()),
})

export const ConfigProviders = t.Object({
  providers: t.Array(Provider),
  default: t.Record(t.String(), t.String()),
})

const AuthRule = t.Object({ key: t.String(), op: t.Union([t.Literal("eq"), t.Literal("neq")]), value: t.String() })
const AuthPrompt = t.Union([
  t.Object({ type: t.Literal("text"), key: t.String(), message: t.String(), placeholder: t.Optional(t.String()), when: t.Optional(AuthRule) }),
  t.Object({
    type: t.Literal("select"),
    key: t.String(),
    message: t.String(),
    options: t.Array(t.Object({ label: t.String(), value: t.String(), hint: t.Optional(t.String()) })),
    when: t.Optional(AuthRule),
  }),
])

export const ProviderAuthMethod = t.Object(
  { type: t.Union([t.Literal("oauth"), t.Literal("api")]), label: t.String(), prompts: t.Optional(t.Array(AuthPrompt)) },
  { $id: "ProviderAuthMethod" },
)

export const ProviderAuthAuthorization = t.Object(
  { url: t.String(), method: t.Union([t.Literal("auto"), t.Literal("code")]), instructions: t.String() },
  { $id: "ProviderAuthAuthorization" },
)

const Secret = t.String({ minLength: 1, maxLength: 16384 })
export const OAuth = t.Object(
  {
    type: t.Literal("oauth"),
    refresh: Secret,
    access: Secret,
    expires: t.Integer({ minimum: 0 }),
    accountId: t.Optional(t.String()),
    enterpriseUrl: t.Optional(t.String()),
  },
  { $id: "OAuth", additionalProperties: false },
)
export const ApiAuth = t.Object(
  { type: t.Literal("api"), key: Secret, metadata: t.Optional(t.Record(t.String(), t.String())) },
  { $id: "ApiAuth", additionalProperties: false },
)
export const WellKnownAuth = t.Object(
  { type: t.Literal("wellknown"), key: Secret, token: Secret },
  { $id: "WellKnownAuth", additionalProperties: false },
)
export const Auth = t.Union([OAuth, ApiAuth, WellKnownAuth], { $id: "Auth" })
export type Auth = Static<typeof Auth>

/** A provider id as it may appear in a path and as a key of auth.json. */
export const ProviderID = t.String({ minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9][A-Za-z0-9._@:-]*$" })

/** Error body of this domain's 400 answers (`ProviderAuthOauthMissing`, `BadRequest`...). */
export const ProviderErrorBody = t.Object({
  name: t.String(),
  data: t.Object({ message: t.String(), providerID: t.Optional(t.String()) }, { additionalProperties: true }),
})
