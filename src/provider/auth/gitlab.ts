import { callbackPort } from "./endpoints"
import { SignInError, describe, get, post } from "./http"
import { listenForCode, pastedCode, pkcePair, randomToken, received } from "./pkce"
import type { AuthHook, AuthPrompt, OAuthTokens } from "./registry"
import { setting } from "../../global/settings"

// GitLab (gitlab.com or a self-managed instance): OAuth with PKCE through a loopback callback
// on 127.0.0.1:8080 (what the published application allows), or a personal access token
// checked against the instance before it is stored. GitLab Duo models need GitLab's own AI
// SDK provider, which is not bundled: signing in stores the credential, calls say what is missing.

const CLIENT_ID = setting("GITLAB_OAUTH_CLIENT_ID") || "1d89f9fdb23ee96d4e603201f6861dab6e143c5c3c00469a018a2d94bdc03d4e"
const PORT = 8080

function instance(input: string | undefined): string | undefined {
  const raw = (input ?? "").trim() || setting("GITLAB_INSTANCE_URL") || "https://gitlab.com"
  try {
    const u = new URL(raw.includes("://") ? raw : `https://${raw}`)
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : undefined
  } catch {
    return undefined
  }
}

const instancePrompt: AuthPrompt = {
  type: "text",
  key: "instanceUrl",
  message: "GitLab instance URL",
  placeholder: "https://gitlab.com",
  validate: (v) => (instance(v) ? undefined : "Enter the instance's address, e.g. https://gitlab.example.com"),
}

function tokens(body: any): OAuthTokens {
  if (typeof body?.access_token !== "string") throw new SignInError("GitLab answered without an access token.")
  return { access: body.access_token, refresh: body.refresh_token ?? "", expires: Date.now() + (Number(body.expires_in) || 7200) * 1000 }
}

export const gitlab: AuthHook = {
  provider: "gitlab",
  methods: [
    {
      type: "oauth",
      label: "GitLab OAuth",
      prompts: [instancePrompt],
      async authorize(inputs = {}) {
        const base = instance(inputs.instanceUrl)!
        const { verifier, challenge } = await pkcePair()
        const state = randomToken()
        let listener: ReturnType<typeof listenForCode> | undefined
        try {
          listener = listenForCode({ port: callbackPort(PORT), path: "/callback", state, provider: "GitLab" })
        } catch {}
        const redirectUri = `http://127.0.0.1:${listener?.port ?? PORT}/callback`
        const url = `${base}/oauth/authorize?${new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: redirectUri, response_type: "code", state, scope: "api", code_challenge: challenge, code_challenge_method: "S256" })}`
        const exchange = async (code: string, signal?: AbortSignal) => {
          const a = await post(`${base}/oauth/token`, { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: CLIENT_ID, code_verifier: verifier }, { form: true, signal })
          if (!a.ok) throw new SignInError(`GitLab did not accept the code (${describe(a)}). Check it and paste it again, or start over.`)
          return { type: "success" as const, ...tokens(a.body), enterpriseUrl: base }
        }
        const elsewhere = "If your browser runs on another machine than this server, the last page will not load: copy the whole address from the address bar and paste it here."
        if (!listener)
          return { url, method: "code", instructions: `Open the link and sign in. ${elsewhere}`, callback: (input, signal) => exchange(pastedCode(input, state), signal) }
        const l = listener
        return {
          url,
          method: "auto",
          instructions: `Open the link in a browser on the machine running this server and sign in; it answers on ${redirectUri}. If your browser is elsewhere, use a personal access token instead.`,
          cancel: () => l.close(),
          async callback(signal) {
            return exchange(await received(l, l.code, signal), signal)
          },
        }
      },
    },
    {
      type: "api",
      label: "GitLab Personal Access Token",
      prompts: [instancePrompt, { type: "text", key: "token", message: "Personal access token (scope api)", placeholder: "glpat-..." }],
      async authorize(inputs = {}) {
        const base = instance(inputs.instanceUrl)!
        const token = inputs.token?.trim()
        if (!token) return { type: "failed", message: "Paste the personal access token (input `token`)." }
        const a = await get(`${base}/api/v4/user`, { authorization: `Bearer ${token}` })
        if (!a.ok) return { type: "failed", message: `${new URL(base).host} did not accept the token (${describe(a)}): check it has the api scope and has not expired.` }
        return { type: "success", key: token, metadata: { instanceUrl: base } }
      },
    },
  ],
}
