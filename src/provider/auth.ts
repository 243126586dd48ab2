import type { Instance } from "../project/instance"
import { removeAuth, setAuth } from "./auth-store"
import { OAuthUnsupportedError } from "./errors"
import { registry } from "./registry"
import type { Auth } from "./schema"

/** Every provider logs in with an API key here; no provider offers OAuth. */
export async function authMethods(instance: Instance): Promise<Record<string, { type: "api"; label: string }[]>> {
  const reg = await registry(instance)
  const out: Record<string, { type: "api"; label: string }[]> = {}
  for (const id of reg.providers.keys()) out[id] = [{ type: "api", label: "API key" }]
  return out
}

export function setCredential(providerID: string, auth: Auth): true {
  setAuth(providerID, auth)
  return true
}

/** False when nothing was stored for the provider. */
export function removeCredential(providerID: string): boolean {
  return removeAuth(providerID)
}

export function oauthAuthorize(providerID: string): never {
  throw new OAuthUnsupportedError(providerID)
}

export function oauthCallback(providerID: string): never {
  throw new OAuthUnsupportedError(providerID)
}
