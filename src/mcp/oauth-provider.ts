import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js"
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js"
import { readEntry, updateEntry } from "./oauth-store"
import type { McpConfig } from "./schema"

// What the MCP SDK's OAuth client (discovery, dynamic client registration, PKCE, token
// exchange and refresh) needs from us: where to keep things, and what to do with the
// authorization URL. We never open a browser from the server: the URL is kept for whoever
// asked for the sign-in.

type Remote = Extract<McpConfig, { type: "remote" }>

export const DEFAULT_CALLBACK_PORT = 19876
export const CALLBACK_PATH = "/mcp/oauth/callback"

export function redirectUrl(config: Remote): string {
  const o = config.oauth || {}
  return o.redirectUri ?? `http://127.0.0.1:${o.callbackPort ?? DEFAULT_CALLBACK_PORT}${CALLBACK_PATH}`
}

export class McpOAuthProvider implements OAuthClientProvider {
  /** Set when the SDK decides a person must sign in. */
  authorizationUrl?: URL

  constructor(
    readonly name: string,
    readonly config: Remote,
  ) {}

  get redirectUrl() {
    return redirectUrl(this.config)
  }

  get clientMetadata(): OAuthClientMetadata {
    const o = this.config.oauth || {}
    return {
      redirect_uris: [this.redirectUrl],
      client_name: "opencode",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: o.clientSecret ? "client_secret_post" : "none",
      ...(o.scope ? { scope: o.scope } : {}),
    }
  }

  private entry() {
    return readEntry(this.name, this.config.url)
  }

  state() {
    const state = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url")
    updateEntry(this.name, this.config.url, { state })
    return state
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const o = this.config.oauth || {}
    if (o.clientId) return { client_id: o.clientId, ...(o.clientSecret ? { client_secret: o.clientSecret } : {}) }
    // A registration made for another callback address (the port was changed) is useless.
    const client = this.entry()?.client as (OAuthClientInformationMixed & { redirect_uris?: string[] }) | undefined
    if (client?.redirect_uris && !client.redirect_uris.includes(this.redirectUrl)) return undefined
    return client
  }

  saveClientInformation(client: OAuthClientInformationMixed) {
    updateEntry(this.name, this.config.url, { client })
  }

  tokens(): OAuthTokens | undefined {
    return this.entry()?.tokens
  }

  saveTokens(tokens: OAuthTokens) {
    updateEntry(this.name, this.config.url, { tokens: { ...tokens, obtained_at: Date.now() } })
  }

  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url
  }

  saveCodeVerifier(codeVerifier: string) {
    updateEntry(this.name, this.config.url, { codeVerifier })
  }

  codeVerifier(): string {
    const v = this.entry()?.codeVerifier
    if (!v) throw new Error("no sign-in in progress for this MCP server: start one with POST /mcp/:name/auth")
    return v
  }

  invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery") {
    if (scope === "all") updateEntry(this.name, this.config.url, { client: undefined, tokens: undefined, codeVerifier: undefined })
    else if (scope === "client") updateEntry(this.name, this.config.url, { client: undefined })
    else if (scope === "tokens") updateEntry(this.name, this.config.url, { tokens: undefined })
    else if (scope === "verifier") updateEntry(this.name, this.config.url, { codeVerifier: undefined })
  }
}
