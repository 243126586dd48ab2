import "./builtin"
import { readAuth } from "../auth-store"
import type { Auth, Model, Provider } from "../schema"
import { authHook } from "./registry"

/**
 * Provider options from the sign-in in force (`apiKey`, `baseURL`, `headers`, `fetch`...), or
 * {} when the provider has no loader or nothing is stored for it.
 */
export async function signInOptions(providerID: string, info: Provider): Promise<Record<string, any>> {
  const loader = authHook(providerID)?.loader
  const first = readAuth()[providerID]
  if (!loader || !first) return {}
  return (await loader(async () => readAuth()[providerID] ?? first, info)) ?? {}
}

/** Whether the provider's sign-in renews its own tokens (so an expired one is no error). */
export function renewsTokens(providerID: string): boolean {
  return authHook(providerID)?.loader !== undefined
}

/** The provider's models as its sign-in in force sees them (unchanged without one). */
export function signInModels(providerID: string, models: Record<string, Model>, stored: Auth): Record<string, Model> {
  const hook = authHook(providerID)?.models
  return hook ? hook(models, stored) : models
}
