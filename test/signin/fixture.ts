import { afterAll, afterEach, beforeAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { Paths } from "../../src/global/paths"
import { startFakeIdP, type FakeIdP } from "../helpers/fake-idp"
import { startMockLLM, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpTree } from "../helpers/tmp"

export type SignIn = { idp: FakeIdP; llm: MockLLM; server: TestServer }

/**
 * A server whose built-in sign-ins reach a fake identity provider, and whose provider APIs
 * (Copilot, ChatGPT Codex, xAI) reach the mock LLM, through the documented origin knob.
 */
export function useSignIn(): SignIn {
  const f = {} as SignIn
  beforeAll(async () => {
    f.idp = startFakeIdP()
    f.llm = await startMockLLM()
    const llm = new URL(f.llm.url).origin
    process.env.OPENCODE_BUN_AUTH_ORIGINS = [
      `https://github.com=${f.idp.origin}`,
      `https://ghe.example.com=${f.idp.origin}`,
      `https://auth.openai.com=${f.idp.origin}`,
      `https://auth.x.ai=${f.idp.origin}`,
      `https://gitlab.example.com=${f.idp.origin}`,
      `https://poe.com=${f.idp.origin}`,
      `https://api.poe.com=${f.idp.origin}`,
      `https://api.githubcopilot.com=${llm}`,
      `https://copilot-api.ghe.example.com=${llm}`,
      `https://chatgpt.com=${llm}`,
      `https://api.x.ai=${llm}`,
    ].join(",")
    process.env.OPENCODE_BUN_AUTH_CALLBACK_PORT = "0"
    f.server = await startTestServer()
  })
  afterEach(() => fs.rmSync(path.join(Paths.data, "auth.json"), { force: true }))
  afterAll(async () => {
    delete process.env.OPENCODE_BUN_AUTH_ORIGINS
    delete process.env.OPENCODE_BUN_AUTH_CALLBACK_PORT
    await f.server.stop()
    await f.llm.stop()
    f.idp.stop()
  })
  return f
}

export function storedAuth(): Record<string, any> {
  const file = path.join(Paths.data, "auth.json")
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {}
}

export function authMode() {
  return fs.statSync(path.join(Paths.data, "auth.json")).mode & 0o777
}

/** A project whose default model is `model`, with title generation off. */
export function projectUsing(model: string) {
  return tmpTree({ "opencode.json": JSON.stringify({ model, small_model: model, agent: { title: { disable: true } } }) }, "signin-")
}

/** Runs one prompt with `model` and answers the assistant message's error, if any. */
export async function promptWith(f: SignIn, model: string, text = "hello") {
  const c = f.server.sdk(projectUsing(model))
  const s = (await c.session.create({ body: {} })).data!
  const res = await c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "text", text }] } })
  return { res, error: (res.data as any)?.info?.error }
}

/** The callback as a raw request, so a test can abort it. */
export function callbackRequest(f: SignIn, provider: string, body: Record<string, unknown>, signal?: AbortSignal) {
  return f.server.fetch(`/provider/${provider}/oauth/callback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal })
}

/**
 * POST /provider/:id/oauth/authorize through the v1 SDK. Its generated types predate `inputs`
 * (opencode 1.18's server takes them), so the body is widened here.
 */
export function authorize(f: SignIn, id: string, method: number, inputs?: Record<string, string>) {
  const body = (inputs ? { method, inputs } : { method }) as { method: number }
  return f.server.client.provider.oauth.authorize({ path: { id }, body })
}
