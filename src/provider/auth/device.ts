import { SignInError, describe, post, sleep } from "./http"

// The polling half of an OAuth device authorization grant (RFC 8628), shared by the
// providers that follow the RFC (GitHub, xAI). Stops early when `signal` aborts.

const GRANT = "urn:ietf:params:oauth:grant-type:device_code"

export type DeviceGrant = {
  /** Shown in messages: "github.com". */
  host: string
  tokenUrl: string
  clientId: string
  deviceCode: string
  /** Seconds between polls as the IdP asked (RFC default 5). */
  interval?: number
  /** Seconds the code stays valid (default 15 minutes). */
  expiresIn?: number
  form: boolean
}

export async function pollDeviceToken(g: DeviceGrant, signal?: AbortSignal): Promise<Record<string, any>> {
  let interval = seconds(g.interval, 5)
  const deadline = Date.now() + seconds(g.expiresIn, 900) * 1000
  while (Date.now() < deadline) {
    await sleep(Math.max(interval * 1000, 100), signal)
    const a = await post(g.tokenUrl, { client_id: g.clientId, device_code: g.deviceCode, grant_type: GRANT }, { form: g.form, signal })
    if (a.ok && typeof a.body?.access_token === "string") return a.body
    switch (a.body?.error) {
      case "authorization_pending":
        continue
      case "slow_down":
        // GitHub sends the new interval; the RFC says add 5 s when it does not.
        interval = seconds(a.body.interval, interval + 5)
        continue
      case "expired_token":
        throw new SignInError(`The code expired before it was entered at ${g.host}. Start the sign-in again.`)
      case "access_denied":
      case "authorization_denied":
        throw new SignInError(`The sign-in was denied at ${g.host}. Start again and approve the request to sign in.`)
    }
    throw new SignInError(`${g.host} refused the sign-in (${describe(a)}).`)
  }
  throw new SignInError(`The code expired before it was entered at ${g.host}. Start the sign-in again.`)
}

function seconds(v: unknown, fallback: number) {
  const n = Number(v)
  return Number.isFinite(n) && n >= 0 ? n : fallback
}
