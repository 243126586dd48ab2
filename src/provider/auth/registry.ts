// The provider sign-in methods this server offers, keyed by provider id.
//
// The shapes are those of the opencode plugin API's `auth` hook (`AuthHook` in
// @opencode-ai/plugin), so a plugin's hook can be handed to `registerAuth` as it is: the
// built-in sign-ins (GitHub Copilot, ChatGPT, xAI, GitLab) are registered through the very
// same function. Two additions, both optional and ignored by plugins that do not know them:
// callbacks receive an AbortSignal (the HTTP client went away: stop polling), and a failed
// result may carry a `message` a person can act on.
//
// Order matters: `GET /provider/auth` lists a provider's methods in registration order and
// `POST /provider/:id/oauth/authorize {method: N}` picks the N-th, so the list a client saw
// must stay the list it indexes into. A later registration for the same provider replaces
// the earlier one (a plugin overriding a built-in sign-in) until it is unregistered.

import type { Auth, Model, Provider } from "../schema"

export type AuthRule = { key: string; op: "eq" | "neq"; value: string }

export type AuthPrompt =
  | {
      type: "text"
      key: string
      message: string
      placeholder?: string
      validate?: (value: string) => string | undefined
      /** @deprecated plugins' older form of `when`; evaluated here, never sent to clients. */
      condition?: (inputs: Record<string, string>) => boolean
      when?: AuthRule
    }
  | {
      type: "select"
      key: string
      message: string
      options: { label: string; value: string; hint?: string }[]
      condition?: (inputs: Record<string, string>) => boolean
      when?: AuthRule
    }

export type OAuthTokens = { refresh: string; access: string; expires: number; accountId?: string; enterpriseUrl?: string }
export type ApiKeyResult = { key: string; metadata?: Record<string, string> }

/** `provider` stores the credential under another provider id than the one signed in to. */
export type AuthSuccess = { type: "success"; provider?: string } & (OAuthTokens | ApiKeyResult)
export type AuthFailure = { type: "failed"; message?: string }
export type AuthResult = AuthSuccess | AuthFailure

/** `cancel` (ours, optional): release what the flow holds (a loopback listener) when it is dropped. */
export type OAuthAuthorization = { url: string; instructions: string; cancel?: () => void } & (
  | { method: "auto"; callback(signal?: AbortSignal): Promise<AuthResult> }
  | { method: "code"; callback(code: string, signal?: AbortSignal): Promise<AuthResult> }
)

export type OAuthMethod = {
  type: "oauth"
  label: string
  prompts?: AuthPrompt[]
  authorize(inputs?: Record<string, string>): Promise<OAuthAuthorization>
}

export type ApiMethod = {
  type: "api"
  label: string
  prompts?: AuthPrompt[]
  /** Checks (and may transform) what the prompts collected; absent = a plain key to store. */
  authorize?(inputs?: Record<string, string>): Promise<({ type: "success"; provider?: string } & ApiKeyResult) | AuthFailure>
}

export type AuthMethod = OAuthMethod | ApiMethod

/**
 * Provider options for a model call made with the stored credential: any of `apiKey`,
 * `baseURL`, `headers`, `fetch` (and SDK options). `auth()` reads the credential as stored now,
 * so a loader's `fetch` sees refreshed tokens.
 */
export type AuthLoader = (auth: () => Promise<Auth>, provider: Provider) => Promise<Record<string, any>>

/**
 * Ours, optional (the plugin API's `provider.models` hook plays this part): the models a
 * sign-in gives access to, e.g. only those a subscription covers, at no per-token cost.
 */
export type AuthModels = (models: Record<string, Model>, auth: Auth) => Record<string, Model>

export type AuthHook = { provider: string; methods: AuthMethod[]; loader?: AuthLoader; models?: AuthModels }

/** What `GET /provider/auth` sends for one method: data only, no functions. */
export type WireMethod = {
  type: "oauth" | "api"
  label: string
  prompts?: (
    | { type: "text"; key: string; message: string; placeholder?: string; when?: AuthRule }
    | { type: "select"; key: string; message: string; options: { label: string; value: string; hint?: string }[]; when?: AuthRule }
  )[]
}

const hooks = new Map<string, AuthHook[]>()
let modelsVersion = 0

/** Bumped when a sign-in learns a new model list in the background, so registries rebuild. */
export function signInModelsVersion() {
  return modelsVersion
}

export function signInModelsChanged() {
  modelsVersion++
}
let builtinsLoaded = false
let loadBuiltins: (() => AuthHook[]) | undefined

/**
 * Adds a provider's sign-in methods (and optionally a loader for its model calls). Returns a
 * function that removes exactly this registration, restoring whatever it replaced.
 *
 * Call it from anywhere (the plugin host calls it with each plugin's `auth` hook); it takes
 * effect for the next `GET /provider/auth` and the next authorize.
 */
export function registerAuth(hook: AuthHook): () => void {
  if (!hook?.provider || !Array.isArray(hook.methods)) throw new TypeError("registerAuth: a hook needs `provider` and `methods`")
  const list = hooks.get(hook.provider) ?? []
  list.push(hook)
  hooks.set(hook.provider, list)
  return () => {
    const now = hooks.get(hook.provider) ?? []
    const i = now.lastIndexOf(hook)
    if (i !== -1) now.splice(i, 1)
    if (now.length === 0) hooks.delete(hook.provider)
  }
}

/**
 * Lets the built-in sign-ins register themselves on first use rather than at import time, so
 * nothing here imports them (no cycle) and start-up pays nothing.
 */
export function setBuiltinLoader(load: () => AuthHook[]) {
  loadBuiltins = load
}

// Built-ins go under whatever was registered already: a plugin always wins.
function ensureBuiltins() {
  if (builtinsLoaded || !loadBuiltins) return
  builtinsLoaded = true
  for (const hook of loadBuiltins()) hooks.set(hook.provider, [hook, ...(hooks.get(hook.provider) ?? [])])
}

/** The hook in force for a provider: the latest registration. */
export function authHook(providerID: string): AuthHook | undefined {
  ensureBuiltins()
  const list = hooks.get(providerID)
  return list?.[list.length - 1]
}

/** Providers with registered methods, in registration order. */
export function authProviders(): string[] {
  ensureBuiltins()
  return [...hooks.keys()]
}

export function toWire(method: AuthMethod): WireMethod {
  const out: WireMethod = { type: method.type, label: method.label }
  if (method.prompts?.length)
    out.prompts = method.prompts.map((p) =>
      p.type === "select"
        ? { type: "select", key: p.key, message: p.message, options: p.options.map((o) => ({ ...o })), ...(p.when ? { when: p.when } : {}) }
        : { type: "text", key: p.key, message: p.message, ...(p.placeholder ? { placeholder: p.placeholder } : {}), ...(p.when ? { when: p.when } : {}) },
    )
  return out
}
