// Every knob that points the built-in sign-ins somewhere other than the real services lives
// here, read from the environment at the moment of use. Users never need them; tests and
// operators (a proxy, an air-gapped mirror) do. Documented in the README under "Sign-in".
//
//   OPENCODE_BUN_AUTH_ORIGINS        "https://github.com=http://127.0.0.1:4001,https://auth.openai.com=..."
//                                    rewrites the origin of any built-in identity-provider or
//                                    model endpoint; paths and queries are kept.
//   OPENCODE_BUN_AUTH_CALLBACK_PORT  port for every loopback sign-in callback (OpenAI 1455,
//                                    GitLab 8080); 0 = any free port.
//   OPENCODE_BUN_AUTH_HTTP_TIMEOUT   ms an identity-provider request may take (default 15000).

function origins(): Map<string, string> {
  const out = new Map<string, string>()
  for (const pair of (process.env.OPENCODE_BUN_AUTH_ORIGINS ?? "").split(",")) {
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
  const v = process.env.OPENCODE_BUN_AUTH_CALLBACK_PORT
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : fixed
}

export function httpTimeout(): number {
  const v = Number(process.env.OPENCODE_BUN_AUTH_HTTP_TIMEOUT)
  return Number.isFinite(v) && v > 0 ? v : 15_000
}
