// Build-time only (never imported by the server): bundles web/ once and swaps
// src/web/embedded.ts for a module that embeds every built file, in each encoding, in the
// executable (`with { type: "file" }`). build.ts passes `await webPlugin(...)` to Bun.build.
import fs from "node:fs"
import path from "node:path"
import type { BunPlugin } from "bun"
import { bundleWeb, type BuiltFile } from "./bundle"

const ROOT = path.resolve(import.meta.dir, "../..")
const CACHE = path.join(ROOT, "node_modules/.cache/web-embed")

let built: Promise<{ dir: string; files: BuiltFile[] }> | undefined

/** The app is the same for every target: bundled and compressed once per build run. */
function buildOnce() {
  built ??= (async () => {
    const t0 = performance.now()
    const files = await bundleWeb()
    const key = new Bun.CryptoHasher("sha256").update(files.map((f) => `${f.path}:${f.etag}`).join("\n")).digest("hex").slice(0, 16)
    const dir = path.join(CACHE, key)
    // Named by content, so concurrent builds of the same app write the same bytes; builds of
    // older versions are pruned after a day.
    prune(CACHE, dir)
    fs.mkdirSync(dir, { recursive: true })
    files.forEach((f, i) => {
      fs.writeFileSync(path.join(dir, `${i}.identity`), f.identity)
      if (f.gzip) fs.writeFileSync(path.join(dir, `${i}.gzip`), f.gzip)
      if (f.br) fs.writeFileSync(path.join(dir, `${i}.br`), f.br)
    })
    const kb = (n: number) => (n / 1024).toFixed(0)
    const sum = (k: "identity" | "gzip" | "br") => files.reduce((n, f) => n + (f[k] ?? f.identity).byteLength, 0)
    console.log(`bundled web/ (${files.length} files, ${kb(sum("identity"))} KB, br ${kb(sum("br"))} KB, ${((performance.now() - t0) / 1000).toFixed(1)} s)`)
    return { dir, files }
  })()
  return built
}

/** The module source listing the built files; `null` when the build leaves the web app out. */
export async function embeddedSource(withWeb: boolean): Promise<string> {
  if (!withWeb) return "export const embeddedSite = null\n"
  const { dir, files } = await buildOnce()
  const imports: string[] = []
  const entries = files.map((f, i) => {
    const body = (enc: "identity" | "gzip" | "br") => {
      const bytes = f[enc]
      if (!bytes) return "undefined"
      const name = `f${i}_${enc}`
      imports.push(`import ${name} from ${JSON.stringify(path.join(dir, `${i}.${enc}`))} with { type: "file" }`)
      return `{ path: ${name}, size: ${bytes.byteLength} }`
    }
    return `  { path: ${JSON.stringify(f.path)}, type: ${JSON.stringify(f.type)}, etag: ${JSON.stringify(f.etag)}, identity: ${body("identity")}, gzip: ${body("gzip")}, br: ${body("br")} },`
  })
  return `${imports.join("\n")}\nexport const embeddedSite = [\n${entries.join("\n")}\n]\n`
}

/** A Bun.build plugin putting the web app (or, with `withWeb` false, its absence) into the executable. */
export async function webPlugin(withWeb: boolean): Promise<BunPlugin> {
  const contents = await embeddedSource(withWeb)
  return {
    name: "embed-web",
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]web[\\/]embedded\.ts$/ }, () => ({ contents, loader: "ts" }))
    },
  }
}

function prune(cache: string, keep: string) {
  const dayAgo = Date.now() - 86_400_000
  for (const name of fs.existsSync(cache) ? fs.readdirSync(cache) : []) {
    const p = path.join(cache, name)
    if (p !== keep && fs.statSync(p).mtimeMs < dayAgo) fs.rmSync(p, { recursive: true, force: true })
  }
}
