import { callbackPort, endpoint } from "./endpoints"
import { SignInError, USER_AGENT, describe, jwtClaims, post, sleep } from "./http"
import { listenForCode, pastedCode, pkcePair, randomToken, received } from "./pkce"
import { bearerFetch, type Refresher } from "./refresh"
import type { AuthHook, OAuthAuthorization, OAuthTokens } from "./registry"
import { codexBody } from "./codex-body"

// ChatGPT Plus/Pro sign-in with the client id opencode publishes, and model calls through the
// ChatGPT Codex endpoint with the account header. Three ways in: a browser on this machine
// (loopback callback on 1455, the port OpenAI has registered for this client), a device code
// that works from anywhere, and a browser elsewhere whose final address is pasted back.

const CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann"
const ISSUER = "https://auth.openai.com"
const CODEX = "https://chatgpt.com/backend-api/codex/responses"
const PORT = 1455
const SCOPE = "openid profile email offline_access"

function accountId(tokens: { id_token?: string; access_token?: string }): string | undefined {
  for (const t of [tokens.id_token, tokens.access_token]) {
    const c = jwtClaims(t)
    const id = c?.chatgpt_account_id ?? c?.["https://api.openai.com/auth"]?.chatgpt_account_id ?? c?.organizations?.[0]?.id
    if (typeof id === "string" && id) return id
  }
  return undefined
}

function toTokens(body: any, previous?: OAuthTokens): OAuthTokens {
  if (typeof body?.access_token !== "string") throw new SignInError("OpenAI answered without an access token.")
  const id = accountId(body) ?? previous?.accountId
  return {
    access: body.access_token,
    refresh: body.refresh_token ?? previous?.refresh ?? "",
    expires: Date.now() + (Number(body.expires_in) || 3600) * 1000,
    ...(id ? { accountId: id } : {}),
  }
}

async function exchange(code: string, redirectUri: string, verifier: string, signal?: AbortSignal): Promise<OAuthTokens> {
  const a = await post(`${ISSUER}/oauth/token`, { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: CLIENT_ID, code_verifier: verifier }, { form: true, signal })
  if (!a.ok) throw new SignInError(`OpenAI did not accept the code (${describe(a)}). Check it and paste it again, or start the sign-in over.`)
  return toTokens(a.body)
}

const refresh: Refresher = async (current) => {
  const a = await post(`${ISSUER}/oauth/token`, { grant_type: "refresh_token", refresh_token: current.refresh, client_id: CLIENT_ID }, { form: true })
  if (!a.ok) throw new SignInError(`OpenAI refused the refresh (${describe(a)})`)
  return toTokens(a.body, current)
}

function authorizeUrl(redirectUri: string, challenge: string, state: string) {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: challenge,
    code_challenge_method: "S256",
    id_token_add_organizations: "true",
    codex_cli_simplified_flow: "true",
    state,
    originator: "opencode",
  })
  return `${ISSUER}/oauth/authorize?${q}`
}

const ELSEWHERE =
  "If your browser runs on another machine than this server, the last page will not load: copy the whole address from the browser's address bar and paste it here."

async function browser(paste: boolean): Promise<OAuthAuthorization> {
  const { verifier, challenge } = await pkcePair()
  const state = randomToken()
  if (!paste) {
    let listener: ReturnType<typeof listenForCode> | undefined
    try {
      listener = listenForCode({ port: callbackPort(PORT), path: "/auth/callback", state, provider: "OpenAI" })
    } catch {
      // Port taken (another sign-in, another tool): the paste way still works.
      return browser(true)
    }
    const redirectUri = `http://localhost:${listener.port}/auth/callback`
    const l = listener
    return {
      url: authorizeUrl(redirectUri, challenge, state),
      method: "auto",
      instructions: `Open the link in a browser on the machine running this server and sign in; it answers on http://localhost:${l.port}. If your browser is elsewhere, choose "ChatGPT Pro/Plus (headless)" or "ChatGPT Pro/Plus (paste the address)" instead.`,
      cancel: () => l.close(),
      async callback(signal) {
        const code = await received(l, l.code, signal)
        return { type: "success", ...(await exchange(code, redirectUri, verifier, signal)) }
      },
    }
  }
  const redirectUri = `http://localhost:${PORT}/auth/callback`
  return {
    url: authorizeUrl(redirectUri, challenge, state),
    method: "code",
    instructions: `Open the link and sign in. ${ELSEWHERE}`,
    async callback(input, signal) {
      return { type: "success", ...(await exchange(pastedCode(input, state), redirectUri, verifier, signal)) }
    },
  }
}

async function device(): Promise<OAuthAuthorization> {
  const a = await post(`${ISSUER}/api/accounts/deviceauth/usercode`, { client_id: CLIENT_ID })
  const d = a.body
  if (!a.ok || typeof d?.device_auth_id !== "string" || typeof d?.user_code !== "string")
    throw new SignInError(`OpenAI did not start the device sign-in (${describe(a)}).`)
  const interval = Math.max(Number(d.interval) || 5, 1) * 1000
  const url = `${ISSUER}/codex/device`
  return {
    url,
    method: "auto",
    instructions: `Open ${url} on any device and enter the code: ${d.user_code}`,
    async callback(signal) {
      const deadline = Date.now() + 15 * 60_000
      while (Date.now() < deadline) {
        await sleep(interval, signal)
        const p = await post(`${ISSUER}/api/accounts/deviceauth/token`, { device_auth_id: d.device_auth_id, user_code: d.user_code }, { signal })
        // 403 and 404 mean "not yet approved".
        if (p.status === 403 || p.status === 404) continue
        if (!p.ok || typeof p.body?.authorization_code !== "string") throw new SignInError(`OpenAI ended the device sign-in (${describe(p)}). Start again.`)
        const tokens = await exchange(p.body.authorization_code, `${ISSUER}/deviceauth/callback`, p.body.code_verifier, signal)
        return { type: "success", ...tokens }
      }
      throw new SignInError("The code expired before it was entered at auth.openai.com. Start the sign-in again.")
    },
  }
}

// What a ChatGPT subscription reaches through Codex: the GPT-5.4 generation and later, not
// the "pro" tiers; billed by the subscription, so no per-token cost is shown.
function codexModel(id: string) {
  const m = /^gpt-(\d+)(?:\.(\d+))?/.exec(id)
  if (!m || /-pro\b/.test(id)) return false
  const major = Number(m[1])
  return major > 5 || (major === 5 && Number(m[2] ?? 0) >= 4)
}

export const openai: AuthHook = {
  provider: "openai",
  models(models, auth) {
    if (auth.type !== "oauth") return models
    const free = { input: 0, output: 0, cache: { read: 0, write: 0 } }
    return Object.fromEntries(Object.entries(models).filter(([, m]) => codexModel(m.api.id)).map(([id, m]) => [id, { ...m, cost: free }]))
  },
  methods: [
    { type: "oauth", label: "ChatGPT Pro/Plus (browser)", authorize: () => browser(false) },
    { type: "oauth", label: "ChatGPT Pro/Plus (headless)", authorize: device },
    { type: "oauth", label: "ChatGPT Pro/Plus (paste the address)", authorize: () => browser(true) },
    { type: "api", label: "Manually enter API Key" },
  ],
  async loader(auth) {
    if ((await auth()).type !== "oauth") return {}
    return {
      apiKey: "chatgpt-sign-in",
      fetch: bearerFetch("openai", refresh, {
        skewMs: 60_000,
        decorate(headers, stored, url, body) {
          if (stored.accountId) headers.set("chatgpt-account-id", stored.accountId)
          headers.set("originator", "opencode")
          headers.set("user-agent", USER_AGENT)
          if (!url.pathname.includes("/responses") && !url.pathname.includes("/chat/completions")) return
          return { url: new URL(endpoint(CODEX)), body: codexBody(body) }
        },
      }),
    }
  },
}
