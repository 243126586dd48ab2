import { numberSetting, setting } from "../../global/settings"

// Every knob that points the built-in sign-ins somewhere other than the real services, read at
// the moment of use. Users never need them; tests and operators (a proxy, an air-gapped mirror)
// do. The variables (OPENCODE_BUN_AUTH_ORIGINS, _CALLBACK_PORT, _HTTP_TIMEOUT) are described
// in global/settings.ts and the README's environment table.

function origins(): Map<string, string> {
  const out = new Map<string, string>()
  for (const pair of (setting("OPENCODE_BUN_AUTH_ORIGINS") ?? "").split(",")) {
    const i = pair.indexOf("=")
    if (i <= 0) continue
    try {
      out.set(new URL(pair.slice(0, i).trim()).origin, new URL(pair.slice(i + 1).trim()).origin)
    } catch {}
  }
  return out
}

/** The URL to really call for a built-in endpoint. */
export function endpoint(url: string): string {
  const map = origins()
  if (map.size === 0) return url
  const u = new URL(url)
  const to = map.get(u.origin)
  return to ? to + u.pathname + u.search : url
}

/** The loopback port a browser callback listens on (`fixed` is what the IdP has registered). */
export function callbackPort(fixed: number): number {
  const v = setting("OPENCODE_BUN_AUTH_CALLBACK_PORT")
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : fixed
}

export function httpTimeout(): number {
  return numberSetting("OPENCODE_BUN_AUTH_HTTP_TIMEOUT", 15_000, Number.MIN_VALUE)
}
