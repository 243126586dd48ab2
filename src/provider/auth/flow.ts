import { setAuth } from "../auth-store"
import { AuthValidationError, AuthorizeFailedError, OAuthCallbackFailedError, OAuthCodeMissingError, OAuthMissingError } from "../errors"
import { BadRequestError, errorMessage } from "../../util/error"
import { createLog } from "../../util/log"
import { authHook, type AuthMethod, type AuthPrompt, type AuthResult, type OAuthAuthorization } from "./registry"

// Sign-ins in progress, one per provider (a new authorize replaces the old one), kept in
// memory: a restart simply means signing in again. Nothing here logs a code or a token.

const log = createLog("provider.signin")

/** A sign-in nobody finishes is dropped (its listener closed) after this long. */
const PENDING_TTL = 15 * 60_000

type Pending = {
  auth: OAuthAuthorization
  method: number
  /** Aborts the flow: every waiting client left, the sign-in was replaced, or it expired. */
  stop: AbortController
  /** One run of an "auto" callback, shared by every client waiting on it. */
  running?: Promise<AuthResult>
  waiters: number
  timer: Timer
}

const pending = new Map<string, Pending>()

const API_KEY: AuthMethod = { type: "api", label: "API key" }

/** The methods of a provider, in the order clients index them: registered ones, then an API key. */
export function methodsOf(providerID: string): AuthMethod[] {
  const registered = authHook(providerID)?.methods ?? []
  return registered.some((m) => m.type === "api") ? registered : [...registered, API_KEY]
}

export async function authorize(providerID: string, index: number, inputs: Record<string, string> = {}): Promise<Omit<OAuthAuthorization, "callback"> | null> {
  const method = methodsOf(providerID)[index]
  if (!method) throw new BadRequestError(`"${providerID}" has no sign-in method ${index}: GET /provider/auth lists them (numbered from 0).`, "Body")
  checkInputs(providerID, method.prompts ?? [], inputs)
  if (method.type === "api") {
    // A plain key is stored with PUT /auth/:id; a method that checks its input does it here.
    if (!method.authorize) return null
    const result = await method.authorize(inputs).catch((e) => ({ type: "failed" as const, message: errorMessage(e) }))
    if (result.type !== "success") throw new OAuthCallbackFailedError(providerID, failure(providerID, result))
    setAuth(result.provider ?? providerID, { type: "api", key: result.key, ...(result.metadata ? { metadata: result.metadata } : {}) })
    return null
  }
  drop(providerID)
  let auth: OAuthAuthorization
  try {
    auth = await method.authorize(inputs)
  } catch (e) {
    throw new AuthorizeFailedError(providerID, errorMessage(e) || `Could not start the sign-in for "${providerID}".`)
  }
  const stop = new AbortController()
  const timer = setTimeout(() => drop(providerID), PENDING_TTL)
  timer.unref?.()
  pending.set(providerID, { auth, method: index, stop, waiters: 0, timer })
  log.info("sign-in started", { providerID, method: method.label, mode: auth.method })
  return { url: auth.url, method: auth.method, instructions: auth.instructions }
}

/**
 * Finishes the pending sign-in. "auto" waits for the device or browser flow (minutes);
 * `signal` is the HTTP request's: when every waiting client has gone, the flow is cancelled.
 */
export async function callback(providerID: string, code: string | undefined, signal?: AbortSignal): Promise<true> {
  const p = pending.get(providerID)
  if (!p) throw new OAuthMissingError(providerID)
  let result: AuthResult
  if (p.auth.method === "code") {
    if (!code?.trim()) throw new OAuthCodeMissingError(providerID)
    result = await settle(p.auth.callback(code.trim(), p.stop.signal))
    // A mistyped code can be pasted again: the sign-in stays pending.
    if (result.type !== "success") throw new OAuthCallbackFailedError(providerID, failure(providerID, result))
  } else {
    p.running ??= settle(p.auth.callback(p.stop.signal))
    result = await wait(providerID, p, signal)
  }
  if (pending.get(providerID) === p) finish(providerID, p)
  if (result.type !== "success") throw new OAuthCallbackFailedError(providerID, failure(providerID, result))
  store(providerID, result)
  log.info("sign-in finished", { providerID })
  return true
}

async function wait(providerID: string, p: Pending, signal?: AbortSignal): Promise<AuthResult> {
  p.waiters++
  let onAbort: (() => void) | undefined
  const left = new Promise<never>((_, reject) => {
    onAbort = () => {
      if (--p.waiters === 0 && pending.get(providerID) === p) {
        log.info("sign-in cancelled: the client went away", { providerID })
        drop(providerID)
      }
      reject(new OAuthCallbackFailedError(providerID, "The sign-in was cancelled."))
    }
    if (signal?.aborted) onAbort()
    else signal?.addEventListener("abort", onAbort, { once: true })
  })
  try {
    return await Promise.race([p.running!, left])
  } finally {
    if (onAbort) signal?.removeEventListener("abort", onAbort)
    if (!signal?.aborted) p.waiters--
  }
}

// Plugin callbacks may throw or answer nothing; either way it is a failure with a reason.
async function settle(work: Promise<AuthResult>): Promise<AuthResult> {
  try {
    return (await work) ?? { type: "failed" }
  } catch (e) {
    return { type: "failed", message: errorMessage(e) }
  }
}

function store(providerID: string, r: Extract<AuthResult, { type: "success" }>) {
  const id = r.provider ?? providerID
  if ("key" in r) return setAuth(id, { type: "api", key: r.key, ...(r.metadata ? { metadata: r.metadata } : {}) })
  setAuth(id, {
    type: "oauth",
    access: r.access,
    refresh: r.refresh,
    expires: r.expires,
    ...(r.accountId ? { accountId: r.accountId } : {}),
    ...(r.enterpriseUrl ? { enterpriseUrl: r.enterpriseUrl } : {}),
  })
}

function failure(providerID: string, r: AuthResult): string {
  return ("message" in r && r.message) || `The sign-in for "${providerID}" failed. Start it again with POST /provider/${providerID}/oauth/authorize.`
}

function finish(providerID: string, p: Pending) {
  clearTimeout(p.timer)
  pending.delete(providerID)
  p.auth.cancel?.()
}

/** Cancels and forgets the provider's pending sign-in, if any. */
export function drop(providerID: string) {
  const p = pending.get(providerID)
  if (!p) return
  finish(providerID, p)
  p.stop.abort(new Error("sign-in cancelled"))
}

function visible(prompt: AuthPrompt, inputs: Record<string, string>) {
  if (prompt.when) {
    const v = inputs[prompt.when.key]
    return prompt.when.op === "eq" ? v === prompt.when.value : v !== prompt.when.value
  }
  return prompt.condition ? prompt.condition(inputs) : true
}

// Clients ask the prompts; here we only refuse what a flow cannot start with.
function checkInputs(providerID: string, prompts: AuthPrompt[], inputs: Record<string, string>) {
  for (const prompt of prompts) {
    if (!visible(prompt, inputs)) continue
    const value = inputs[prompt.key]
    if (prompt.type === "select" && value !== undefined && !prompt.options.some((o) => o.value === value))
      throw new AuthValidationError(providerID, prompt.key, `"${prompt.key}" must be one of: ${prompt.options.map((o) => o.value).join(", ")}.`)
    if (prompt.type === "text" && value !== undefined && prompt.validate) {
      const problem = prompt.validate(value)
      if (problem) throw new AuthValidationError(providerID, prompt.key, problem)
    }
  }
}
