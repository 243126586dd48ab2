import type { LanguageModel } from "ai"
import type { Instance } from "../project/instance"
import { ModelNotFoundError, ProviderAuthError } from "./errors"
import { createLanguageModel } from "./language"
import { registry } from "./registry"
import { renewsTokens } from "./auth/load"
import { plugins } from "../plugin"
import type { Model } from "./schema"

/**
 * A callable model. Throws ModelNotFoundError for unknown ids and ProviderAuthError when the
 * provider needs a key nobody gave — before any network call, so the loop never hangs on it.
 */
export async function getModel(
  instance: Instance,
  ref: { providerID: string; modelID: string },
): Promise<{ info: Model; language: LanguageModel }> {
  // A plugin's `auth.loader` may supply this provider's key and fetch: it must be registered first.
  await plugins(instance)
  const reg = await registry(instance)
  const entry = reg.providers.get(ref.providerID)
  if (!entry) throw new ModelNotFoundError(ref.providerID, ref.modelID, await closest(ref.providerID, [...reg.providers.keys()]), "provider")
  const info = entry.info.models[ref.modelID]
  if (!info) throw new ModelNotFoundError(ref.providerID, ref.modelID, await closest(ref.modelID, Object.keys(entry.info.models)), "model")

  const cred = entry.credential
  if (!cred && !entry.keyless) {
    const vars = entry.info.env.length ? `set ${entry.info.env.join(" or ")}, ` : ""
    throw new ProviderAuthError(
      entry.info.id,
      `No API key for ${entry.info.name}: ${vars}store one with PUT /auth/${entry.info.id} ({"type":"api","key":"..."}), or set provider.${entry.info.id}.options.apiKey in opencode.json.`,
    )
  }
  if (cred?.oauth && cred.oauth.expires > 0 && cred.oauth.expires < Date.now() && !renewsTokens(entry.info.id))
    throw new ProviderAuthError(entry.info.id, `The stored OAuth token for ${entry.info.name} has expired and nothing here can renew it: sign in again, or store an API key with PUT /auth/${entry.info.id}.`)

  const key = `${ref.providerID}/${ref.modelID}`
  let language = reg.languages.get(key)
  if (!language) {
    language = await createLanguageModel(entry, info)
    reg.languages.set(key, language)
  }
  return { info, language }
}

// Loaded only when a lookup fails: nothing on the happy path pays for it.
async function closest(query: string, candidates: string[]): Promise<string[]> {
  const { default: fuzzysort } = await import("fuzzysort")
  return fuzzysort.go(query, candidates, { limit: 3, threshold: 0.3 }).map((r) => r.target)
}
