import { callbackPort } from "./endpoints"
import { SignInError, describe, post } from "./http"
import { listenForCode, pastedCode, pkcePair, randomToken, received } from "./pkce"
import { ProviderAuthError } from "../errors"
import type { AuthHook, OAuthAuthorization } from "./registry"

// Poe: a browser sign-in (PKCE, any loopback port) that yields a Poe API key, with the client
// id opencode publishes. The key is stored as the token; it may carry an expiry.

const CLIENT_ID = "client_728290227fc048cc9262091a1ea197ea"
const AUTHORIZE = "https://poe.com/oauth/authorize"
const TOKEN = "https://api.poe.com/token"

async function signIn(paste: boolean): Promise<OAuthAuthorization> {
  const { verifier, challenge } = await pkcePair()
  const state = randomToken()
  const listener = paste ? undefined : listenForCode({ port: callbackPort(0), path: "/callback", state, provider: "Poe" })
  // Pasting: port 1 is served by nothing, so the code ends in the address bar and never in
  // some other local service's request log.
  const redirectUri = `http://127.0.0.1:${listener?.port ?? 1}/callback`
  const q = new URLSearchParams({ response_type: "code", client_id: CLIENT_ID, scope: "apikey:create", code_challenge: challenge, code_challenge_method: "S256", redirect_uri: redirectUri, state })
  const exchange = async (code: string, signal?: AbortSignal) => {
    const a = await post(TOKEN, { grant_type: "authorization_code", code, code_verifier: verifier, client_id: CLIENT_ID, redirect_uri: redirectUri }, { form: true, signal })
    if (!a.ok || typeof a.body?.api_key !== "string") throw new SignInError(`Poe did not accept the code (${describe(a)}). Start the sign-in again.`)
    const seconds = Number(a.body.api_key_expires_in)
    const expires = Number.isFinite(seconds) && seconds > 0 ? Date.now() + seconds * 1000 : 0
    return { type: "success" as const, access: a.body.api_key, refresh: a.body.api_key, expires }
  }
  const url = `${AUTHORIZE}?${q}`
  if (!listener)
    return {
      url,
      method: "code",
      instructions: "Open the link and sign in. The last page will not load: copy the whole address from the address bar and paste it here.",
      callback: (input, signal) => exchange(pastedCode(input, state), signal),
    }
  return {
    url,
    method: "auto",
    instructions: `Open the link in a browser on the machine running this server and sign in; it answers on ${redirectUri}. If your browser is elsewhere, choose "Login with Poe (paste the address)".`,
    cancel: () => listener.close(),
    async callback(signal) {
      return exchange(await received(listener, listener.code, signal), signal)
    },
  }
}

export const poe: AuthHook = {
  provider: "poe",
  methods: [
    { type: "oauth", label: "Login with Poe (browser)", authorize: () => signIn(false) },
    { type: "oauth", label: "Login with Poe (paste the address)", authorize: () => signIn(true) },
    { type: "api", label: "Manually enter API Key" },
  ],
  async loader(auth) {
    const a = await auth()
    if (a.type !== "oauth") return {}
    if (a.expires > 0 && a.expires < Date.now()) throw new ProviderAuthError("poe", "The Poe key from your sign-in has expired: sign in to Poe again.")
    return { apiKey: a.access }
  },
}
