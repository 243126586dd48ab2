import { describe, expect, test } from "bun:test"
import { until } from "../helpers/harness"
import { authMode, authorize, callbackRequest, promptWith, storedAuth, useSignIn } from "./fixture"

const f = useSignIn()

const COPILOT_CODE = { device_code: "dev-code-1", user_code: "WDJB-MJHT", verification_uri: "https://github.com/login/device", interval: 0, expires_in: 900 }

async function startCopilot(inputs: Record<string, string> = { deploymentType: "github.com" }) {
  f.idp.queue("POST /login/device/code", { body: COPILOT_CODE })
  return authorize(f, "github-copilot", 0, inputs)
}

async function defaultModel(provider: string) {
  const { data } = await f.server.client.provider.list()
  return `${provider}/${data!.default[provider]}`
}

describe("device sign-ins", () => {
  test("GitHub Copilot: pending, slow_down, success; token stored 0600, hidden, used with Copilot's headers", async () => {
    const auth = await startCopilot()
    expect(auth.data).toMatchObject({ url: "https://github.com/login/device", method: "auto" })
    expect(auth.data!.instructions).toContain("WDJB-MJHT")
    expect(f.idp.requests("POST /login/device/code").at(-1)!.body).toEqual({ client_id: "Ov23li8tweQw6odWQebz", scope: "read:user" })

    f.idp.queue(
      "POST /login/oauth/access_token",
      { body: { error: "authorization_pending" } },
      { body: { error: "slow_down", interval: 1 } },
      { body: { access_token: "gho_secret_token", token_type: "bearer", scope: "read:user" } },
    )
    const cb = await f.server.client.provider.oauth.callback({ path: { id: "github-copilot" }, body: { method: 0 } })
    expect(cb.data).toBe(true)
    const polls = f.idp.requests("POST /login/oauth/access_token").slice(-3)
    expect(polls[0]!.body).toEqual({ client_id: "Ov23li8tweQw6odWQebz", device_code: "dev-code-1", grant_type: "urn:ietf:params:oauth:grant-type:device_code" })
    // slow_down with interval 1: the next poll waits at least a second.
    expect(polls[2]!.at - polls[1]!.at).toBeGreaterThanOrEqual(950)

    expect(storedAuth()["github-copilot"]).toMatchObject({ type: "oauth", access: "gho_secret_token" })
    expect(authMode()).toBe(0o600)
    const listed = (await f.server.client.provider.list()).data!
    expect(listed.connected).toContain("github-copilot")
    for (const p of ["/config", "/provider", "/config/providers", "/provider/auth"]) expect(await (await f.server.fetch(p)).text()).not.toContain("gho_secret_token")

    f.llm.enqueue({ text: "hi from copilot" })
    const { error } = await promptWith(f, await defaultModel("github-copilot"))
    expect(error).toBeUndefined()
    const h = f.llm.headers.at(-1)!
    expect(f.llm.paths.at(-1)).toBe("/chat/completions")
    expect(h.authorization).toBe("Bearer gho_secret_token")
    expect(h["openai-intent"]).toBe("conversation-edits")
    expect(h["x-initiator"]).toBe("user")
    expect(h["user-agent"]).toMatch(/^opencode\//)
  })

  test("GitHub Enterprise: the prompt's domain is used for sign-in and the Copilot API", async () => {
    const { data } = await f.server.client.provider.auth()
    const prompts = (data!["github-copilot"]![0] as any).prompts as any[]
    expect(prompts.map((p) => p.key)).toEqual(["deploymentType", "enterpriseUrl"])
    expect(prompts[1]).toMatchObject({ when: { key: "deploymentType", op: "eq", value: "enterprise" } })

    const bad = await authorize(f, "github-copilot", 0, { deploymentType: "enterprise", enterpriseUrl: "not a host" })
    expect(bad.response.status).toBe(400)
    expect(bad.error).toMatchObject({ name: "ProviderAuthValidationFailed", data: { field: "enterpriseUrl" } })

    const auth = await startCopilot({ deploymentType: "enterprise", enterpriseUrl: "https://ghe.example.com/" })
    expect(auth.response.status).toBe(200)
    f.idp.queue("POST /login/oauth/access_token", { body: { access_token: "ghe_token" } })
    expect((await f.server.client.provider.oauth.callback({ path: { id: "github-copilot" }, body: { method: 0 } })).data).toBe(true)
    expect(storedAuth()["github-copilot"]).toMatchObject({ access: "ghe_token", enterpriseUrl: "ghe.example.com" })
    f.llm.enqueue({ text: "hi" })
    expect((await promptWith(f, await defaultModel("github-copilot"))).error).toBeUndefined()
    expect(f.llm.headers.at(-1)!.authorization).toBe("Bearer ghe_token")
  })

  test("expired and denied device codes fail with ProviderAuthOauthCallbackFailed and a reason", async () => {
    for (const [error, words] of [
      ["expired_token", "expired"],
      ["access_denied", "denied"],
    ]) {
      await startCopilot()
      f.idp.queue("POST /login/oauth/access_token", { body: { error: "authorization_pending" } }, { body: { error } })
      const cb = await f.server.client.provider.oauth.callback({ path: { id: "github-copilot" }, body: { method: 0 } })
      expect(cb.response.status).toBe(400)
      expect(cb.error).toMatchObject({ name: "ProviderAuthOauthCallbackFailed", data: { providerID: "github-copilot" } })
      expect((cb.error as any).data.message).toContain(words)
      // The flow is over: a second callback has nothing to finish.
      const again = await f.server.client.provider.oauth.callback({ path: { id: "github-copilot" }, body: { method: 0 } })
      expect(again.error).toMatchObject({ name: "ProviderAuthOauthMissing" })
    }
    expect(storedAuth()["github-copilot"]).toBeUndefined()
  })

  test("a client that disconnects from the callback cancels the flow: polling stops", async () => {
    await startCopilot()
    f.idp.on("POST /login/oauth/access_token", () => ({ body: { error: "authorization_pending" } }))
    const abort = new AbortController()
    const pending = callbackRequest(f, "github-copilot", { method: 0 }, abort.signal).catch((e) => e)
    await until(() => f.idp.requests("POST /login/oauth/access_token").length > 0, 5000, "the first token poll")
    abort.abort()
    await pending
    await Bun.sleep(300)
    const seen = f.idp.requests("POST /login/oauth/access_token").length
    await Bun.sleep(500)
    expect(f.idp.requests("POST /login/oauth/access_token").length).toBe(seen)
    const cb = await f.server.client.provider.oauth.callback({ path: { id: "github-copilot" }, body: { method: 0 } })
    expect(cb.error).toMatchObject({ name: "ProviderAuthOauthMissing" })
    f.idp.on("POST /login/oauth/access_token", () => ({ body: { error: "authorization_pending" } }))
  })

  test("an auto callback outlives Bun's default 10 s idle timeout", async () => {
    await startCopilot()
    const started = Date.now()
    f.idp.on("POST /login/oauth/access_token", () => (Date.now() - started > 11_000 ? { body: { access_token: "gho_late" } } : { body: { error: "authorization_pending" } }))
    const cb = await f.server.client.provider.oauth.callback({ path: { id: "github-copilot" }, body: { method: 0 } })
    expect(cb.data).toBe(true)
    expect(Date.now() - started).toBeGreaterThan(11_000)
    expect(storedAuth()["github-copilot"].access).toBe("gho_late")
  }, 30_000)

  test("ChatGPT headless: device code, then the code exchange; calls go to the Codex endpoint with the account header", async () => {
    const { fakeJwt } = await import("../helpers/fake-idp")
    f.idp.queue("POST /api/accounts/deviceauth/usercode", { body: { device_auth_id: "da-1", user_code: "QX7-PL2", interval: "1" } })
    const auth = await f.server.client.provider.oauth.authorize({ path: { id: "openai" }, body: { method: 1 } })
    expect(auth.data).toMatchObject({ url: "https://auth.openai.com/codex/device", method: "auto" })
    expect(auth.data!.instructions).toContain("QX7-PL2")
    f.idp.queue("POST /api/accounts/deviceauth/token", { status: 403, body: {} }, { body: { authorization_code: "auth-code-9", code_verifier: "verifier-9", code_challenge: "c" } })
    f.idp.queue("POST /oauth/token", {
      body: { id_token: fakeJwt({ "https://api.openai.com/auth": { chatgpt_account_id: "acct-42" } }), access_token: "chatgpt-access", refresh_token: "chatgpt-refresh", expires_in: 3600 },
    })
    expect((await f.server.client.provider.oauth.callback({ path: { id: "openai" }, body: { method: 1 } })).data).toBe(true)
    expect(f.idp.requests("POST /oauth/token").at(-1)!.body).toMatchObject({
      grant_type: "authorization_code",
      code: "auth-code-9",
      code_verifier: "verifier-9",
      client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
      redirect_uri: "https://auth.openai.com/deviceauth/callback",
    })
    expect(storedAuth().openai).toMatchObject({ type: "oauth", access: "chatgpt-access", refresh: "chatgpt-refresh", accountId: "acct-42" })
    // The subscription's models only, at no per-token cost.
    const models = (await f.server.client.provider.list()).data!.all.find((p) => p.id === "openai")!.models
    expect(Object.keys(models)).toContain("gpt-5.4")
    expect(Object.keys(models)).not.toContain("gpt-3.5-turbo")
    expect(Object.keys(models)).not.toContain("gpt-5.4-pro")
    expect((models["gpt-5.4"] as any).cost.input).toBe(0)

    f.llm.enqueue({ text: "hello from codex" })
    const { error } = await promptWith(f, await defaultModel("openai"))
    expect(error).toBeUndefined()
    expect(f.llm.paths.at(-1)).toBe("/backend-api/codex/responses")
    const h = f.llm.headers.at(-1)!
    expect(h.authorization).toBe("Bearer chatgpt-access")
    expect(h["chatgpt-account-id"]).toBe("acct-42")
    const body = f.llm.requests.at(-1)
    expect(body.store).toBe(false)
    expect(typeof body.instructions).toBe("string")
  })

  test("xAI: RFC 8628 device flow with form posts", async () => {
    f.idp.queue("POST /oauth2/device/code", { body: { device_code: "x-dev", user_code: "GROK-1", verification_uri: "https://accounts.x.ai/device", verification_uri_complete: "https://accounts.x.ai/device?code=GROK-1", interval: 0 } })
    const auth = await f.server.client.provider.oauth.authorize({ path: { id: "xai" }, body: { method: 0 } })
    expect(auth.data!.url).toBe("https://accounts.x.ai/device?code=GROK-1")
    expect(f.idp.requests("POST /oauth2/device/code").at(-1)!.body).toMatchObject({ client_id: "b1a00492-073a-47ea-816f-4c329264a828" })
    f.idp.queue("POST /oauth2/token", { status: 400, body: { error: "authorization_pending" } }, { body: { access_token: "xai-access", refresh_token: "xai-refresh", expires_in: 3600 } })
    expect((await f.server.client.provider.oauth.callback({ path: { id: "xai" }, body: { method: 0 } })).data).toBe(true)
    expect(storedAuth().xai).toMatchObject({ access: "xai-access", refresh: "xai-refresh" })
  })

  test("Copilot: once its API lists the account's models, those are the ones offered", async () => {
    const catalog = Object.keys((await f.server.client.provider.list()).data!.all.find((p) => p.id === "github-copilot")!.models)
    const known = catalog[0]!
    f.llm.setModels([
      { id: known, name: "Known", model_picker_enabled: true, capabilities: { family: "x", supports: {} } },
      { id: "brand-new-model", name: "Brand New", model_picker_enabled: true, capabilities: { family: "new", limits: { max_context_window_tokens: 64000, max_output_tokens: 4000 }, supports: { tool_calls: true, vision: true } } },
      { id: "hidden-model", name: "Hidden", model_picker_enabled: false, capabilities: { family: "x", supports: {} } },
    ])
    try {
      await startCopilot()
      f.idp.queue("POST /login/oauth/access_token", { body: { access_token: "gho_models" } })
      expect((await f.server.client.provider.oauth.callback({ path: { id: "github-copilot" }, body: { method: 0 } })).data).toBe(true)
      const offered = async () => (await f.server.client.provider.list()).data!.all.find((p) => p.id === "github-copilot")!.models
      await until(async () => "brand-new-model" in (await offered()), 5000, "the live model list")
      const models = await offered()
      expect(Object.keys(models).sort()).toEqual([known, "brand-new-model"].sort())
      expect((models["brand-new-model"] as any).limit).toEqual({ context: 64000, output: 4000 })
      expect((models["brand-new-model"] as any).capabilities.input.image).toBe(true)
    } finally {
      f.llm.setModels(undefined)
    }
  })

  test("nothing secret reaches the log, even at debug level", async () => {
    const written: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    const level = process.env.OPENCODE_LOG_LEVEL
    process.env.OPENCODE_LOG_LEVEL = "debug"
    process.stderr.write = ((chunk: any, ...rest: any[]) => (written.push(String(chunk)), true)) as typeof process.stderr.write
    try {
      await startCopilot()
      f.idp.queue("POST /login/oauth/access_token", { body: { access_token: "gho_never_logged" } })
      expect((await f.server.client.provider.oauth.callback({ path: { id: "github-copilot" }, body: { method: 0 } })).data).toBe(true)
      f.llm.enqueue({ text: "ok" })
      await promptWith(f, await defaultModel("github-copilot"))
    } finally {
      process.stderr.write = write
      process.env.OPENCODE_LOG_LEVEL = level
    }
    const log = written.join("")
    expect(log).toContain("sign-in finished")
    expect(log).not.toContain("gho_never_logged")
    expect(log).not.toContain("dev-code-1")
  })

  test("offline: authorize fails within seconds with a clear error", async () => {
    const saved = process.env.OPENCODE_BUN_AUTH_ORIGINS
    // A port nobody listens on, and a host that accepts and never answers.
    const hang = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: () => new Promise<Response>(() => {}) })
    try {
      process.env.OPENCODE_BUN_AUTH_ORIGINS = "https://github.com=http://127.0.0.1:9"
      let t = Date.now()
      const refused = await authorize(f, "github-copilot", 0, { deploymentType: "github.com" })
      expect(Date.now() - t).toBeLessThan(5000)
      expect(refused.response.status).toBe(400)
      expect(refused.error).toMatchObject({ name: "ProviderAuthAuthorizeFailed", data: { providerID: "github-copilot" } })
      expect((refused.error as any).data.message).toContain("Could not reach github.com")

      // A name that cannot resolve (the .invalid domain never does), as with no network at all.
      process.env.OPENCODE_BUN_AUTH_ORIGINS = "https://github.com=http://github.invalid"
      t = Date.now()
      const unresolved = await authorize(f, "github-copilot", 0, { deploymentType: "github.com" })
      expect(Date.now() - t).toBeLessThan(16_000)
      expect((unresolved.error as any).data.message).toContain("Could not reach github.com")

      process.env.OPENCODE_BUN_AUTH_ORIGINS = `https://github.com=http://127.0.0.1:${hang.port}`
      process.env.OPENCODE_BUN_AUTH_HTTP_TIMEOUT = "1000"
      t = Date.now()
      const silent = await authorize(f, "github-copilot", 0, { deploymentType: "github.com" })
      expect(Date.now() - t).toBeLessThan(5000)
      expect((silent.error as any).data.message).toContain("no answer within 1 s")
    } finally {
      process.env.OPENCODE_BUN_AUTH_ORIGINS = saved
      delete process.env.OPENCODE_BUN_AUTH_HTTP_TIMEOUT
      hang.stop(true)
    }
  })
})
