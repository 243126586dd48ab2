import { readAuth, setAuth } from "../auth-store"
import { ProviderAuthError } from "../errors"
import type { Auth } from "../schema"
import type { OAuthTokens } from "./registry"

// Refreshing stored OAuth tokens: shortly before they expire, and once after a 401. However
// many model calls need a new token at the same moment, one refresh runs per provider and
// the others wait for it (identity providers often rotate the refresh token: two concurrent
// refreshes would leave one of them holding a revoked token).

type OAuth = Extract<Auth, { type: "oauth" }>
export type Refresher = (current: OAuth) => Promise<OAuthTokens>

const inflight = new Map<string, Promise<OAuth>>()

function stored(providerID: string): OAuth {
  const a = readAuth()[providerID]
  if (a?.type !== "oauth") throw new ProviderAuthError(providerID, `Not signed in to "${providerID}" any more: sign in again (POST /provider/${providerID}/oauth/authorize).`)
  return a
}

/**
 * The provider's stored tokens, refreshed first when they expire within `skewMs`, or when
 * `stale` (an access token a server just refused) is still the stored one.
 */
export async function freshTokens(providerID: string, refresh: Refresher, opts: { skewMs: number; stale?: string }): Promise<OAuth> {
  const running = inflight.get(providerID)
  if (running) return running
  const current = stored(providerID)
  const expiring = current.expires > 0 && current.expires - opts.skewMs <= Date.now()
  const refused = opts.stale !== undefined && opts.stale === current.access
  if (!expiring && !refused) return current
  const run = (async () => {
    let next: OAuthTokens
    try {
      next = await refresh(current)
    } catch (e) {
      throw new ProviderAuthError(providerID, `Renewing the "${providerID}" sign-in failed (${(e as Error)?.message ?? e}). Sign in again.`)
    }
    const value: OAuth = { ...current, ...next, type: "oauth" }
    setAuth(providerID, value)
    return value
  })().finally(() => inflight.delete(providerID))
  inflight.set(providerID, run)
  return run
}

/**
 * A fetch for model calls that sends the stored access token as the bearer (refreshing it as
 * needed) and retries once after a 401 with a refreshed token. `decorate` adds a provider's
 * own headers and may send the request elsewhere.
 */
export function bearerFetch(
  providerID: string,
  refresh: Refresher | undefined,
  opts: { skewMs: number; decorate?: (headers: Headers, auth: OAuth, url: URL, body: unknown) => { url?: URL; body?: unknown } | void },
): typeof fetch {
  const tokens = (stale?: string) => (refresh ? freshTokens(providerID, refresh, { skewMs: opts.skewMs, stale }) : Promise.resolve(stored(providerID)))
  const send = (input: RequestInfo | URL, init: RequestInit | undefined, auth: OAuth) => {
    const headers = new Headers(input instanceof Request ? input.headers : undefined)
    new Headers(init?.headers).forEach((v, k) => headers.set(k, v))
    headers.delete("x-api-key")
    headers.set("authorization", `Bearer ${auth.access}`)
    let url = new URL(input instanceof Request ? input.url : String(input))
    let body = init?.body
    const change = opts.decorate?.(headers, auth, url, body)
    if (change?.url) url = change.url
    if (change && "body" in change) body = change.body as BodyInit
    return fetch(url, { ...init, headers, body })
  }
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit) => {
    const auth = await tokens()
    const res = await send(input, init, auth)
    if (res.status !== 401 || !refresh) return res
    await res.body?.cancel().catch(() => {})
    return send(input, init, await tokens(auth.access))
  }
  return Object.assign(wrapped, { preconnect: fetch.preconnect }) as typeof fetch
}
