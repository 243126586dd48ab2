import "./auth/builtin"
import type { Instance } from "../project/instance"
import { removeAuth, setAuth } from "./auth-store"
import { drop, methodsOf } from "./auth/flow"
import { authProviders, toWire, type WireMethod } from "./auth/registry"
import { registry } from "./registry"
import { plugins } from "../plugin"
import type { Auth } from "./schema"

/** Every known provider's sign-in methods: registered ones (OAuth, checked keys), then an API key. */
export async function authMethods(instance: Instance): Promise<Record<string, WireMethod[]>> {
  // Plugins' `auth` hooks add methods once loaded (an npm plugin may still be installing).
  await plugins(instance)
  const reg = await registry(instance)
  const out: Record<string, WireMethod[]> = {}
  for (const id of new Set([...authProviders(), ...reg.providers.keys()])) out[id] = methodsOf(id).map(toWire)
  return out
}

export function setCredential(providerID: string, auth: Auth): true {
  setAuth(providerID, auth)
  return true
}

/** False when nothing was stored for the provider. Also cancels a sign-in in progress. */
export function removeCredential(providerID: string): boolean {
  drop(providerID)
  return removeAuth(providerID)
}

export { authorize as oauthAuthorize, callback as oauthCallback } from "./auth/flow"
