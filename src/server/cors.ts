import { cors } from "@elysiajs/cors"

const LOCAL = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i

/** Localhost on any port, plus each configured origin; anything else gets no allow-origin. */
export function allowedOrigin(origin: string | null, extra: string[]) {
  if (!origin) return false
  if (LOCAL.test(origin)) return true
  return extra.some((o) => o.replace(/\/+$/, "") === origin)
}

export function corsPlugin(extra: string[]) {
  return cors({
    // A function, never `true`: the plugin would otherwise reflect any origin with credentials.
    origin: ({ headers }) => allowedOrigin(headers.get("origin"), extra),
    credentials: true,
    // Preflights get back the headers they ask for (authorization, x-opencode-directory...).
    allowedHeaders: true,
    // `true` would "expose" the request's own header names: meaningless, so expose nothing.
    exposeHeaders: false,
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    maxAge: 600,
  })
}
