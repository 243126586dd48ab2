import { callbackPort } from "./endpoints"
import { listenForToken, pastedToken } from "./implicit"
import { randomToken, received } from "./pkce"
import type { AuthHook, OAuthAuthorization } from "./registry"

// DigitalOcean: an implicit-grant browser sign-in (callback on localhost:1456, what the
// published application allows) whose token is used directly as the inference key.

const CLIENT_ID = "b1a6c5158156caac821fd1b30253ca8acb52454a48fa744420e41889cb589f82"
const AUTHORIZE = "https://cloud.digitalocean.com/v1/oauth/authorize"
const PORT = 1456
const PATH = "/auth/callback"
const SCOPE = "genai:read inference:query"

function success(t: { access_token: string; expires_in?: number }) {
  const expires = Date.now() + (t.expires_in ?? 2_592_000) * 1000
  return { type: "success" as const, key: t.access_token, metadata: { oauth_expires: String(expires) } }
}

async function signIn(paste: boolean): Promise<OAuthAuthorization> {
  const state = randomToken()
  const listener = paste ? undefined : listenForToken({ port: callbackPort(PORT), path: PATH, state, provider: "DigitalOcean" })
  const redirectUri = `http://localhost:${listener?.port ?? PORT}${PATH}`
  const url = `${AUTHORIZE}?${new URLSearchParams({ response_type: "token", client_id: CLIENT_ID, redirect_uri: redirectUri, scope: SCOPE, state })}`
  if (!listener)
    return {
      url,
      method: "code",
      instructions: "Open the link and sign in. The last page will not load: copy the whole address from the address bar (with the part after #) and paste it here.",
      callback: async (input) => success(pastedToken(input, state)),
    }
  return {
    url,
    method: "auto",
    instructions: `Open the link in a browser on the machine running this server and sign in; it answers on ${redirectUri}. If your browser is elsewhere, choose "Login with DigitalOcean (paste the address)".`,
    cancel: () => listener.close(),
    async callback(signal) {
      return success(await received(listener, listener.token, signal))
    },
  }
}

export const digitalocean: AuthHook = {
  provider: "digitalocean",
  methods: [
    { type: "oauth", label: "Login with DigitalOcean", authorize: () => signIn(false) },
    { type: "oauth", label: "Login with DigitalOcean (paste the address)", authorize: () => signIn(true) },
    { type: "api", label: "Paste Model Access Key" },
  ],
}
