import { describe, expect, test } from "bun:test"
import { authorize, storedAuth, useSignIn } from "./fixture"
import { tmpTree } from "../helpers/tmp"

const f = useSignIn()

const TOKENS = { access_token: "browser-access", refresh_token: "browser-refresh", expires_in: 3600 }

async function s256(verifier: string) {
  return Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))).toString("base64url")
}

// What the browser does at the end of a sign-in: follow the redirect to our loopback listener.
function browserReturns(redirect: string, query: Record<string, string>) {
  const url = new URL(redirect.replace("localhost", "127.0.0.1"))
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  return fetch(url)
}

describe("browser (PKCE) sign-ins", () => {
  test("ChatGPT in a browser on this machine: the loopback callback gets the code, which is exchanged with the verifier", async () => {
    const auth = await f.server.client.provider.oauth.authorize({ path: { id: "openai" }, body: { method: 0 } })
    expect(auth.data!.method).toBe("auto")
    expect(auth.data!.instructions).toContain("headless")
    const url = new URL(auth.data!.url)
    expect(url.origin + url.pathname).toBe("https://auth.openai.com/oauth/authorize")
    const q = url.searchParams
    expect(q.get("client_id")).toBe("app_EMoamEEZ73f0CkXaXp7hrann")
    expect(q.get("code_challenge_method")).toBe("S256")
    expect(q.get("scope")).toBe("openid profile email offline_access")
    const redirect = q.get("redirect_uri")!
    expect(redirect).toMatch(/^http:\/\/localhost:\d+\/auth\/callback$/)

    const done = f.server.client.provider.oauth.callback({ path: { id: "openai" }, body: { method: 0 } })
    // A forged answer (wrong state) is turned away and does not end the sign-in.
    expect((await browserReturns(redirect, { code: "evil", state: "other" })).status).toBe(400)
    f.idp.queue("POST /oauth/token", { body: TOKENS })
    const page = await browserReturns(redirect, { code: "good-code", state: q.get("state")! })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain("signed in")
    expect((await done).data).toBe(true)
    const exchange = f.idp.requests("POST /oauth/token").at(-1)!.body
    expect(exchange).toMatchObject({ grant_type: "authorization_code", code: "good-code", redirect_uri: redirect })
    expect(await s256(exchange.code_verifier)).toBe(q.get("code_challenge")!)
    expect(storedAuth().openai).toMatchObject({ type: "oauth", access: "browser-access" })
    // The listener is gone once the sign-in is over.
    expect(await browserReturns(redirect, { code: "x", state: "y" }).then(() => "answered", () => "closed")).toBe("closed")
  })

  test("ChatGPT with the browser elsewhere: the pasted address is exchanged; a wrong code can be pasted again", async () => {
    const auth = await f.server.client.provider.oauth.authorize({ path: { id: "openai" }, body: { method: 2 } })
    expect(auth.data!.method).toBe("code")
    expect(auth.data!.instructions).toContain("another machine")
    const state = new URL(auth.data!.url).searchParams.get("state")!

    const missing = await f.server.client.provider.oauth.callback({ path: { id: "openai" }, body: { method: 2 } })
    expect(missing.error).toMatchObject({ name: "ProviderAuthOauthCodeMissing", data: { providerID: "openai" } })

    f.idp.queue("POST /oauth/token", { status: 400, body: { error: "invalid_grant", error_description: "Invalid authorization code" } })
    const wrong = await f.server.client.provider.oauth.callback({ path: { id: "openai" }, body: { method: 2, code: "typo" } })
    expect(wrong.response.status).toBe(400)
    expect(wrong.error).toMatchObject({ name: "ProviderAuthOauthCallbackFailed" })
    expect((wrong.error as any).data.message).toContain("Invalid authorization code")

    f.idp.queue("POST /oauth/token", { body: TOKENS })
    const pasted = `http://localhost:1455/auth/callback?code=right-code&state=${state}`
    expect((await f.server.client.provider.oauth.callback({ path: { id: "openai" }, body: { method: 2, code: pasted } })).data).toBe(true)
    expect(f.idp.requests("POST /oauth/token").at(-1)!.body.code).toBe("right-code")
    expect(storedAuth().openai.access).toBe("browser-access")
  })

  test("GitLab OAuth on a self-managed instance stores tokens with the instance URL", async () => {
    const auth = await authorize(f, "gitlab", 0, { instanceUrl: "https://gitlab.example.com" })
    const q = new URL(auth.data!.url).searchParams
    expect(auth.data!.url.startsWith("https://gitlab.example.com/oauth/authorize?")).toBe(true)
    expect(q.get("scope")).toBe("api")
    const done = f.server.client.provider.oauth.callback({ path: { id: "gitlab" }, body: { method: 0 } })
    f.idp.queue("POST /oauth/token", { body: { access_token: "gl-access", refresh_token: "gl-refresh", expires_in: 7200 } })
    expect((await browserReturns(q.get("redirect_uri")!, { code: "gl-code", state: q.get("state")! })).status).toBe(200)
    expect((await done).data).toBe(true)
    expect(storedAuth().gitlab).toMatchObject({ type: "oauth", access: "gl-access", enterpriseUrl: "https://gitlab.example.com" })
  })

  test("GitLab personal access token: checked against the instance before it is stored", async () => {
    const { data } = await f.server.client.provider.auth()
    expect(data!.gitlab!.map((m) => m.label)).toEqual(["GitLab OAuth", "GitLab Personal Access Token"])
    f.idp.queue("GET /api/v4/user", { status: 401, body: { message: "401 Unauthorized" } })
    const bad = await authorize(f, "gitlab", 1, { instanceUrl: "https://gitlab.example.com", token: "glpat-wrong" })
    expect(bad.response.status).toBe(400)
    expect((bad.error as any).data.message).toContain("did not accept the token")
    expect(storedAuth().gitlab).toBeUndefined()

    f.idp.queue("GET /api/v4/user", { body: { id: 1, username: "me" } })
    const ok = await authorize(f, "gitlab", 1, { instanceUrl: "https://gitlab.example.com", token: "glpat-right" })
    expect(ok.response.status).toBe(200)
    expect(f.idp.requests("GET /api/v4/user").at(-1)!.headers.get("authorization")).toBe("Bearer glpat-right")
    expect(storedAuth().gitlab).toEqual({ type: "api", key: "glpat-right", metadata: { instanceUrl: "https://gitlab.example.com" } })
  })

  test("Poe: a browser sign-in on any loopback port yields the API key used for calls", async () => {
    const auth = await authorize(f, "poe", 0)
    const q = new URL(auth.data!.url).searchParams
    expect(auth.data!.url.startsWith("https://poe.com/oauth/authorize?")).toBe(true)
    expect(q.get("client_id")).toBe("client_728290227fc048cc9262091a1ea197ea")
    expect(q.get("scope")).toBe("apikey:create")
    const done = f.server.client.provider.oauth.callback({ path: { id: "poe" }, body: { method: 0 } })
    f.idp.queue("POST /token", { body: { api_key: "poe-key-123", api_key_expires_in: 86400 } })
    expect((await browserReturns(q.get("redirect_uri")!, { code: "poe-code", state: q.get("state")! })).status).toBe(200)
    expect((await done).data).toBe(true)
    const exchange = f.idp.requests("POST /token").at(-1)!.body
    expect(exchange).toMatchObject({ grant_type: "authorization_code", code: "poe-code", client_id: "client_728290227fc048cc9262091a1ea197ea" })
    expect(await s256(exchange.code_verifier)).toBe(q.get("code_challenge")!)
    expect(storedAuth().poe).toMatchObject({ type: "oauth", access: "poe-key-123" })

    // The project points Poe at the mock LLM; the key from the sign-in is what it receives.
    const dir = tmpTree({ "opencode.json": JSON.stringify({ model: "poe/any", provider: { poe: { options: { baseURL: f.llm.url }, models: { any: { name: "Any" } } } }, agent: { title: { disable: true } } }) })
    const c = f.server.sdk(dir)
    const session = (await c.session.create({ body: {} })).data!
    f.llm.enqueue({ text: "hi from poe" })
    const reply = await c.session.prompt({ path: { id: session.id }, body: { parts: [{ type: "text", text: "hi" }] } })
    expect((reply.data as any).info.error).toBeUndefined()
    expect(f.llm.headers.at(-1)!.authorization).toBe("Bearer poe-key-123")
  })

  test("DigitalOcean: the implicit grant's token comes back through the loopback page, or pasted", async () => {
    const auth = await authorize(f, "digitalocean", 0)
    const q = new URL(auth.data!.url).searchParams
    expect(q.get("response_type")).toBe("token")
    const redirect = q.get("redirect_uri")!.replace("localhost", "127.0.0.1")
    const done = f.server.client.provider.oauth.callback({ path: { id: "digitalocean" }, body: { method: 0 } })
    // The browser lands on the page with the token in the fragment; its script posts it back.
    expect(await (await fetch(redirect)).text()).toContain("<script>")
    const forged = await fetch(`${redirect}/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ access_token: "evil", state: "other" }) })
    expect(forged.status).toBe(400)
    const posted = await fetch(`${redirect}/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ access_token: "do-token", state: q.get("state"), expires_in: "3600" }) })
    expect(posted.status).toBe(200)
    expect((await done).data).toBe(true)
    expect(storedAuth().digitalocean).toMatchObject({ type: "api", key: "do-token" })

    const paste = await authorize(f, "digitalocean", 1)
    expect(paste.data!.method).toBe("code")
    const state = new URL(paste.data!.url).searchParams.get("state")
    const wrong = await f.server.client.provider.oauth.callback({ path: { id: "digitalocean" }, body: { method: 1, code: "http://localhost:1456/auth/callback#access_token=x&state=nope" } })
    expect((wrong.error as any).data.message).toContain("state mismatch")
    const right = `http://localhost:1456/auth/callback#access_token=do-pasted&token_type=bearer&state=${state}`
    expect((await f.server.client.provider.oauth.callback({ path: { id: "digitalocean" }, body: { method: 1, code: right } })).data).toBe(true)
    expect(storedAuth().digitalocean.key).toBe("do-pasted")
  })
})
