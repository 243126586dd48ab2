// Serves the web app: index.html for page navigations, hashed files under assets/, each in
// the best encoding the browser takes. Loaded by the server on the first page request only
// (see server/routes/web.ts), so a server that never sees a browser never pays for it.
import fs from "node:fs"
import path from "node:path"
import { embeddedSite } from "./embedded"
import { ASSET_DIR, INDEX, type Body, type Site, type SiteFile } from "./site"
import { cacheControl, chooseEncoding, contentSecurityPolicy } from "./headers"

type Loaded = { site: Site; builtAt: number }
let loading: Promise<Loaded> | undefined

async function load(): Promise<Loaded> {
  if (embeddedSite === null) throw new WebUnavailableError("This executable was built without the web interface (build.ts --no-web).")
  if (embeddedSite) return { site: new Map(embeddedSite.map((f) => [f.path, f])), builtAt: Infinity }
  // From source: bundle web/ now, in this process.
  const { bundleWeb, WEB_DIR } = await import("./bundle")
  const builtAt = newestChange(WEB_DIR)
  try {
    const files = await bundleWeb({ quality: 5 })
    return { site: new Map(files.map((f) => [f.path, f])), builtAt }
  } catch (e) {
    throw new WebUnavailableError(`The web interface could not be built from ${WEB_DIR}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

async function site(checkFresh: boolean): Promise<Site> {
  let current = loading
  // From source, an edit under web/ shows on the next page load (assets are immutable: their names change).
  if (current && checkFresh && !embeddedSite) {
    const { builtAt } = await current.catch(() => ({ builtAt: -1 }))
    if (newestChange(path.resolve(import.meta.dir, "../../web")) > builtAt) current = undefined
  }
  if (!current) {
    current = loading = load()
    // A failed build is retried on the next request rather than remembered.
    current.catch(() => {
      if (loading === current) loading = undefined
    })
  }
  return (await current).site
}

export class WebUnavailableError extends Error {}

/**
 * A page navigation that no API route answered. index.html's relative asset and API URLs
 * resolve against the page's folder, so a page at /a/b would look for /a/assets/...: such a
 * path is redirected to the app root, relatively, which keeps a proxy's sub-path.
 */
export async function servePage(request: Request): Promise<Response> {
  const pathname = new URL(request.url).pathname
  const depth = pathname.split("/").length - 2
  if (depth > 0) return new Response(null, { status: 302, headers: { location: "../".repeat(depth), "cache-control": "no-cache" } })
  return guarded(async () => {
    const s = await site(true)
    const file = s.get(INDEX)
    if (!file) throw new WebUnavailableError(`The built web interface has no ${INDEX}.`)
    const headers = {
      "content-security-policy": contentSecurityPolicy(request.headers.get("host")),
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      // A window another site opened (or that opens us) gets no handle on this page.
      "cross-origin-opener-policy": "same-origin",
    }
    return send(request, INDEX, file, headers)
  })
}

/** GET /assets/<name>: a hashed file of the built app, or a JSON 404. */
export async function serveAsset(request: Request): Promise<Response> {
  return guarded(async () => {
    const pathname = new URL(request.url).pathname
    const rel = pathname.slice(pathname.indexOf(`/${ASSET_DIR}/`) + 1)
    const name = rel.startsWith(`${ASSET_DIR}/`) ? decoded(rel) : undefined
    // A name is only ever looked up in the built set: no path reaches the file system.
    const file = name ? (await site(false)).get(name) : undefined
    if (!file) return json(404, { name: "NotFoundError", data: { message: `No web asset ${pathname}` } })
    return send(request, rel, file, {})
  })
}

function send(request: Request, rel: string, file: SiteFile, extra: Record<string, string>): Response {
  const encoding = chooseEncoding(request.headers.get("accept-encoding"), { br: !!file.br, gzip: !!file.gzip })
  const body = encoding === "identity" ? file.identity : file[encoding]!
  const etag = `"${file.etag}${encoding === "identity" ? "" : `-${encoding}`}"`
  const headers: Record<string, string> = {
    "cache-control": cacheControl(rel),
    etag,
    "x-content-type-options": "nosniff",
    // Other sites cannot embed these files with the browser's credentials attached.
    "cross-origin-resource-policy": "same-origin",
    ...extra,
  }
  // Assets are fetched in CORS mode (crossorigin attribute), and their allow-origin header
  // (cors.ts) follows the Origin: caches must key on it as well as on the encoding.
  headers.vary = rel === INDEX ? "accept-encoding" : "accept-encoding, origin"
  if (matches(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers })
  headers["content-type"] = file.type
  if (encoding !== "identity") headers["content-encoding"] = encoding
  return new Response(request.method === "HEAD" ? null : bytes(body), { headers: { ...headers, "content-length": String(size(body)) } })
}

function decoded(p: string) {
  try {
    return decodeURIComponent(p)
  } catch {
    return undefined
  }
}

function matches(ifNoneMatch: string | null, etag: string) {
  if (!ifNoneMatch) return false
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)
}

const bytes = (b: Body) => (b instanceof Uint8Array ? (b as Uint8Array<ArrayBuffer>) : Bun.file(b.path))
const size = (b: Body) => (b instanceof Uint8Array ? b.byteLength : b.size)

async function guarded(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof WebUnavailableError) return json(503, { name: "WebUnavailableError", data: { message: e.message } })
    throw e
  }
}

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })
}

/** Latest modification time of anything under dir (0 if it does not exist). */
function newestChange(dir: string): number {
  let newest = 0
  try {
    newest = fs.statSync(dir).mtimeMs
    for (const name of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      if (name.includes("node_modules")) continue
      newest = Math.max(newest, fs.statSync(path.join(dir, name)).mtimeMs)
    }
  } catch {}
  return newest
}
