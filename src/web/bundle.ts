// Bundles web/ (the app's one entry is web/index.html) with Bun's HTML bundler and compresses
// each text file with gzip and brotli. The build runs it once per build (embed.ts); a server
// running from source runs it on the first page request (serve.ts).
import path from "node:path"
import { promisify } from "node:util"
import { ASSET_DIR, INDEX } from "./site"

const ROOT = path.resolve(import.meta.dir, "../..")
export const WEB_DIR = path.join(ROOT, "web")

export type BuiltFile = { path: string; type: string; etag: string; identity: Uint8Array; gzip?: Uint8Array; br?: Uint8Array }

export class WebBuildError extends Error {}

/** Worth compressing: images and fonts are compressed already. */
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|manifest\+json|xml|wasm)|image\/svg\+xml)/

/**
 * `quality` is brotli's 0-11: the build spends the seconds on 11; from source a middle
 * setting keeps the first page load quick.
 */
export async function bundleWeb(opts: { dir?: string; quality?: number } = {}): Promise<BuiltFile[]> {
  const dir = opts.dir ?? WEB_DIR
  const entry = path.join(dir, INDEX)
  if (!(await Bun.file(entry).exists())) throw new WebBuildError(`the web app's entry ${entry} does not exist`)
  const r = await Bun.build({
    entrypoints: [entry],
    minify: true,
    target: "browser",
    // Hashed names under assets/, referenced relatively ("./assets/..."): cacheable forever,
    // and the page still works behind a proxy that serves it under a sub-path.
    naming: { entry: "[name].[ext]", chunk: `${ASSET_DIR}/[name]-[hash].[ext]`, asset: `${ASSET_DIR}/[name]-[hash].[ext]` },
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    throw: false,
  })
  if (!r.success) throw new WebBuildError(`bundling ${entry} failed:\n${r.logs.map(String).join("\n")}`)
  const quality = opts.quality ?? 11
  // Imported here, not at the top: the bundler hoists static imports of built-in modules to
  // the executable's start-up, and only a build or a server running from source compresses.
  const { brotliCompress, gzip, constants } = await import("node:zlib")
  const gz = promisify(gzip)
  const br = promisify(brotliCompress)
  return Promise.all(
    r.outputs.map(async (o) => {
      const rel = o.path.replace(/^\.\//, "").split(path.sep).join("/")
      const identity = new Uint8Array(await o.arrayBuffer())
      const type = o.type || "application/octet-stream"
      const file: BuiltFile = { path: rel, type, etag: etagOf(identity), identity }
      if (COMPRESSIBLE.test(type) && identity.byteLength > 256) {
        file.gzip = new Uint8Array(await gz(identity, { level: 9 }))
        file.br = new Uint8Array(
          await br(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength } }),
        )
      }
      return file
    }),
  )
}

export function etagOf(bytes: Uint8Array) {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("base64url").slice(0, 22)
}
