import { describe, expect, test } from "bun:test"
import { fakeJwt } from "../helpers/fake-idp"
import { projectUsing, promptWith, storedAuth, useSignIn } from "./fixture"

const f = useSignIn()

async function openaiModel() {
  const { data } = await f.server.client.provider.list()
  return `openai/${data!.default.openai}`
}

function signInAs(access: string, expires: number) {
  return f.server.client.auth.set({ path: { id: "openai" }, body: { type: "oauth", access, refresh: "refresh-1", expires, accountId: "acct-1" } as { type: "oauth"; access: string; refresh: string; expires: number } })
}

describe("token refresh", () => {
  test("an expired ChatGPT token is refreshed before the call; the new tokens are stored", async () => {
    await signInAs("old-access", Date.now() - 1000)
    f.idp.queue("POST /oauth/token", { body: { access_token: "new-access", refresh_token: "refresh-2", expires_in: 3600, id_token: fakeJwt({ chatgpt_account_id: "acct-1" }) } })
    const before = f.idp.requests("POST /oauth/token").length
    f.llm.enqueue({ text: "ok" })
    const { error } = await promptWith(f, await openaiModel())
    expect(error).toBeUndefined()
    const refreshes = f.idp.requests("POST /oauth/token").slice(before)
    expect(refreshes.length).toBe(1)
    expect(refreshes[0]!.body).toEqual({ grant_type: "refresh_token", refresh_token: "refresh-1", client_id: "app_EMoamEEZ73f0CkXaXp7hrann" })
    expect(f.llm.headers.at(-1)!.authorization).toBe("Bearer new-access")
    expect(storedAuth().openai).toMatchObject({ access: "new-access", refresh: "refresh-2", accountId: "acct-1" })
    expect(storedAuth().openai.expires).toBeGreaterThan(Date.now() + 3_000_000)
  })

  test("a 401 refreshes once however many calls get it at the same time, and each call is retried", async () => {
    await signInAs("revoked-access", Date.now() + 3_600_000)
    const before = f.idp.requests("POST /oauth/token").length
    // The refresh answers slowly, so all three calls are refused while it is in flight.
    f.idp.queue("POST /oauth/token", async () => {
      await Bun.sleep(300)
      return { body: { access_token: "fresh-access", refresh_token: "refresh-3", expires_in: 3600 } }
    })
    // Refusals are slow too, so all three calls are sent with the revoked token first.
    const answer = async () => {
      if (f.llm.headers.at(-1)!.authorization === "Bearer fresh-access") return { text: "ok" }
      await Bun.sleep(400)
      return { error: { status: 401, body: { error: { message: "token revoked" } } } }
    }
    f.llm.enqueue(answer, answer, answer, answer, answer, answer)
    const model = await openaiModel()
    const sessions = await Promise.all(
      [1, 2, 3].map(async () => {
        const c = f.server.sdk(projectUsing(model))
        return { c, id: (await c.session.create({ body: {} })).data!.id }
      }),
    )
    const seen = f.llm.requests.length
    const results = await Promise.all(
      sessions.map(async ({ c, id }) => ({ error: ((await c.session.prompt({ path: { id }, body: { parts: [{ type: "text", text: "hi" }] } })).data as any)?.info?.error })),
    )
    for (const r of results) expect(r.error).toBeUndefined()
    expect(f.idp.requests("POST /oauth/token").length - before).toBe(1)
    const auths = f.llm.headers.slice(seen).map((h) => h.authorization)
    expect(auths.filter((a) => a === "Bearer revoked-access").length).toBe(3)
    expect(auths.filter((a) => a === "Bearer fresh-access").length).toBe(3)
    expect(storedAuth().openai.access).toBe("fresh-access")
  })

  test("a refused refresh ends the call with a ProviderAuthError that says to sign in again", async () => {
    await signInAs("old", Date.now() - 1000)
    f.idp.queue("POST /oauth/token", { status: 400, body: { error: "invalid_grant", error_description: "refresh token revoked" } })
    const { error } = await promptWith(f, await openaiModel())
    expect(error?.name).toBe("ProviderAuthError")
    expect(error.data.message).toContain("Sign in again")
    expect(JSON.stringify(error)).not.toContain("refresh-1")
  })

  test("DELETE /auth/:id removes the stored tokens", async () => {
    await signInAs("to-remove", Date.now() + 3_600_000)
    expect(await (await f.server.fetch("/auth/openai", { method: "DELETE" })).json()).toBe(true)
    expect(storedAuth().openai).toBeUndefined()
    const dir = projectUsing("openai/x")
    expect((await f.server.sdk(dir).provider.list()).data!.connected).not.toContain("openai")
  })
})
