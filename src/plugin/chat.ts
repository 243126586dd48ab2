import type { Instance } from "../project/instance"
import type { Model } from "../provider"
import { registry } from "../provider/registry"
import type { UserMessage } from "../session/schema"
import { plugins } from "./index"
import { runHooks } from "./trigger"

export type ChatCall = {
  temperature?: number
  topP?: number
  topK?: number
  maxOutputTokens?: number
  /** For the AI SDK's `providerOptions`, under the provider SDK's key. */
  providerOptions?: Record<string, Record<string, any>>
  headers?: Record<string, string>
}

type Input = { sessionID: string; agent: string; model: Model; message: UserMessage }

/**
 * The sampling settings, provider options and extra headers of one model call, after the
 * `chat.params` and `chat.headers` hooks had their say. Unchanged without such hooks.
 */
export async function chatCall(instance: Instance, input: Input, defaults: ChatCall): Promise<ChatCall> {
  const list = (await plugins(instance)).plugins
  if (!list.some((p) => typeof p.hooks["chat.params"] === "function" || typeof p.hooks["chat.headers"] === "function")) return defaults
  const entry = (await registry(instance)).providers.get(input.model.providerID)
  const provider = { source: entry?.info.source ?? "config", info: entry?.info, options: { ...entry?.options } }
  const hookInput = { ...input, provider }
  const params = await runHooks(list, "chat.params", hookInput, {
    temperature: defaults.temperature,
    topP: defaults.topP,
    topK: defaults.topK,
    maxOutputTokens: defaults.maxOutputTokens,
    options: {} as Record<string, any>,
  })
  const { headers } = await runHooks(list, "chat.headers", hookInput, { headers: { ...defaults.headers } as Record<string, string> })
  const options = params.options && typeof params.options === "object" && Object.keys(params.options).length ? params.options : undefined
  return {
    temperature: params.temperature,
    topP: params.topP,
    topK: params.topK,
    maxOutputTokens: params.maxOutputTokens,
    ...(options ? { providerOptions: { [optionsKey(input.model)]: options } } : {}),
    ...(Object.keys(headers ?? {}).length ? { headers } : {}),
  }
}

// The AI SDK reads provider options under each SDK's own name; openai-compatible ones use
// the name they were created with, which is the provider id here (see provider/language.ts).
function optionsKey(model: Model) {
  const known: Record<string, string> = { "@ai-sdk/anthropic": "anthropic", "@ai-sdk/openai": "openai", "@ai-sdk/google": "google" }
  return known[model.api.npm] ?? model.providerID
}
