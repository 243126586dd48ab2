import { SignInError } from "./http"

// The implicit grant puts the token in the address's fragment, which browsers never send to a
// server: the loopback page reads it with a few lines of script and posts it back to us.

export type TokenListener = { port: number; token: Promise<{ access_token: string; expires_in?: number }>; close(): void }

const page = (provider: string, tokenPath: string) => `<!doctype html><meta charset="utf-8"><title>Signing in to ${provider}</title>
<body style="font-family:sans-serif;margin:3em"><h1 id="t">Finishing the sign-in…</h1><p id="p"></p>
<script>
const f = new URLSearchParams(location.hash.slice(1))
fetch(${JSON.stringify(tokenPath)}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(Object.fromEntries(f)) })
  .then((r) => { document.getElementById("t").textContent = r.ok ? "Signed in" : "Sign-in failed"; document.getElementById("p").textContent = r.ok ? "You can close this tab." : "Start the sign-in again." })
</script>`

/** Listens on 127.0.0.1:`port` for the page at `path` and the token its script posts. */
export function listenForToken(opts: { port: number; path: string; state: string; provider: string }): TokenListener {
  const tokenPath = `${opts.path}/token`
  let resolve!: (t: { access_token: string; expires_in?: number }) => void
  let reject!: (e: Error) => void
  const token = new Promise<{ access_token: string; expires_in?: number }>((res, rej) => ((resolve = res), (reject = rej)))
  token.catch(() => {})
  let server: ReturnType<typeof Bun.serve>
  try {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: opts.port,
      async fetch(req) {
        const url = new URL(req.url)
        if (req.method === "GET" && url.pathname === opts.path) return new Response(page(opts.provider, tokenPath), { headers: { "content-type": "text/html; charset=utf-8" } })
        if (req.method !== "POST" || url.pathname !== tokenPath) return new Response("Not found", { status: 404 })
        const body = (await req.json().catch(() => ({}))) as Record<string, string>
        if (body.error) {
          reject(new SignInError(`${opts.provider} refused the sign-in: ${body.error_description ?? body.error}`))
          return Response.json({ ok: false })
        }
        if (body.state !== opts.state || !body.access_token) return Response.json({ error: "this answer does not belong to the current sign-in" }, { status: 400 })
        resolve({ access_token: body.access_token, expires_in: Number(body.expires_in) || undefined })
        return Response.json({ ok: true })
      },
    })
  } catch (e) {
    throw new SignInError(`Could not listen on 127.0.0.1:${opts.port} for the browser's answer (${(e as Error).message}); another sign-in may be using it.`)
  }
  return {
    port: server.port!,
    token,
    close() {
      reject(new SignInError("sign-in cancelled"))
      // Let the answer to the browser's last request go out before connections are cut.
      void server.stop()
      setTimeout(() => void server.stop(true), 1000).unref()
    },
  }
}

/** A pasted address (`…/auth/callback#access_token=…&state=…`) as its token. */
export function pastedToken(input: string, state: string): { access_token: string; expires_in?: number } {
  const text = input.trim()
  const hash = text.includes("#") ? text.slice(text.indexOf("#") + 1) : text
  const f = new URLSearchParams(hash)
  const access = f.get("access_token")
  if (!access) throw new SignInError("The pasted address has no access_token in it: copy the whole address, including the part after #.")
  if (f.get("state") !== state) throw new SignInError("The pasted address belongs to another sign-in (state mismatch): use the address from this sign-in.")
  return { access_token: access, expires_in: Number(f.get("expires_in")) || undefined }
}
