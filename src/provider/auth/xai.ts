import { endpoint } from "./endpoints"
import { pollDeviceToken } from "./device"
import { SignInError, USER_AGENT, describe, post } from "./http"
import { bearerFetch, type Refresher } from "./refresh"
import type { AuthHook } from "./registry"

// xAI (SuperGrok subscription): an RFC 8628 device flow at auth.x.ai with the client id
// opencode publishes; tokens renewed two minutes before they expire.

const CLIENT_ID = "b1a00492-073a-47ea-816f-4c329264a828"
const AUTH = "https://auth.x.ai/oauth2"
const SCOPE = "openid profile email offline_access grok-cli:access api:access"

const refresh: Refresher = async (current) => {
  const a = await post(`${AUTH}/token`, { grant_type: "refresh_token", refresh_token: current.refresh, client_id: CLIENT_ID }, { form: true })
  if (!a.ok || typeof a.body?.access_token !== "string") throw new SignInError(`xAI refused the refresh (${describe(a)})`)
  return { access: a.body.access_token, refresh: a.body.refresh_token || current.refresh, expires: Date.now() + (Number(a.body.expires_in) || 3600) * 1000 }
}

export const xai: AuthHook = {
  provider: "xai",
  methods: [
    {
      type: "oauth",
      label: "SuperGrok Subscription",
      async authorize() {
        const a = await post(`${AUTH}/device/code`, { client_id: CLIENT_ID, scope: SCOPE, referrer: "opencode" }, { form: true })
        const d = a.body
        if (!a.ok || typeof d?.device_code !== "string" || typeof d?.user_code !== "string" || typeof d?.verification_uri !== "string")
          throw new SignInError(`auth.x.ai did not start the device sign-in (${describe(a)}).`)
        return {
          url: d.verification_uri_complete ?? d.verification_uri,
          method: "auto",
          instructions: `Open ${d.verification_uri} on any device and enter the code: ${d.user_code}`,
          async callback(signal) {
            const t = await pollDeviceToken(
              { host: "auth.x.ai", tokenUrl: `${AUTH}/token`, clientId: CLIENT_ID, deviceCode: d.device_code, interval: d.interval, expiresIn: d.expires_in, form: true },
              signal,
            )
            return { type: "success", access: t.access_token, refresh: t.refresh_token ?? "", expires: Date.now() + (Number(t.expires_in) || 3600) * 1000 }
          },
        }
      },
    },
    { type: "api", label: "Manually enter API Key" },
  ],
  async loader(auth) {
    if ((await auth()).type !== "oauth") return {}
    return {
      apiKey: "xai-sign-in",
      baseURL: endpoint("https://api.x.ai/v1"),
      fetch: bearerFetch("xai", refresh, { skewMs: 120_000, decorate: (h) => h.set("user-agent", USER_AGENT) }),
    }
  },
}
