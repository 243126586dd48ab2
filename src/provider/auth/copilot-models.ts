import { toModel } from "../model-info"
import type { Auth, Model } from "../schema"
import { get } from "./http"
import { signInModelsChanged } from "./registry"

// The models a Copilot account may pick, as its API lists them (`model_picker_enabled`). Fetched
// in the background at most hourly per account; until it answers, and whenever it fails, the
// catalog's Copilot models stand. Nothing waits for it.

type Live = { key: string; at: number; models?: any[] }

const TTL = 3_600_000
/** A failed fetch is retried sooner: the list matters most right after signing in. */
const RETRY = 60_000
let live: Live | undefined
let fetching: Promise<void> | undefined

function token(auth: Auth) {
  return auth.type === "oauth" ? auth.refresh || auth.access : auth.type === "api" ? auth.key : auth.token
}

async function fetchLive(base: string, auth: Auth, key: string) {
  try {
    const a = await get(`${base}/models`, { authorization: `Bearer ${token(auth)}`, "openai-intent": "model-access" })
    const data: any[] | undefined = a.ok && Array.isArray(a.body?.data) ? a.body.data : undefined
    live = { key, at: Date.now(), models: data?.filter((m) => m?.model_picker_enabled === true && typeof m.id === "string") }
  } catch {
    live = { key, at: Date.now() }
  }
  if (live.models?.length) signInModelsChanged()
}

/** The account's models: the live list where known (catalog data kept where it has them), else `models`. */
export function copilotModels(base: string, models: Record<string, Model>, auth: Auth): Record<string, Model> {
  const key = String(Bun.hash(`${base}|${token(auth)}`))
  const stale = !live || live.key !== key || Date.now() - live.at > (live.models ? TTL : RETRY)
  if (stale && !fetching) fetching = fetchLive(base, auth, key).finally(() => (fetching = undefined))
  const list = live?.key === key ? live.models : undefined
  if (!list?.length) return models
  const out: Record<string, Model> = {}
  for (const m of list) {
    const limits = m.capabilities?.limits ?? {}
    const supports = m.capabilities?.supports ?? {}
    out[m.id] =
      models[m.id] ??
      toModel(
        "github-copilot",
        m.id,
        {
          name: m.name ?? m.id,
          family: m.capabilities?.family,
          tool_call: supports.tool_calls ?? true,
          attachment: supports.vision ?? false,
          reasoning: Boolean(supports.reasoning_effort?.length || supports.adaptive_thinking),
          limit: { context: limits.max_context_window_tokens ?? 0, output: limits.max_output_tokens ?? 0, ...(limits.max_prompt_tokens ? { input: limits.max_prompt_tokens } : {}) },
          modalities: { input: supports.vision ? ["text", "image"] : ["text"], output: ["text"] },
        },
        { npm: "@ai-sdk/openai-compatible", url: base },
      )
  }
  return out
}
