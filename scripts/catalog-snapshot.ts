// Refreshes the models.dev catalog the binary carries (src/provider/catalog/models-snapshot.json.gz).
//
//   bun scripts/catalog-snapshot.ts                 models.dev if reachable, else the catalog inside
//                                                   node_modules/opencode-ai's binary, else keep
//   bun scripts/catalog-snapshot.ts --from URL|FILE a models.dev api.json (URL or file)
//   bun scripts/catalog-snapshot.ts --from-opencode the catalog the opencode-ai package ships
//
// The opencode binary (MIT) embeds the models.dev catalog (MIT) as a JavaScript object
// literal; we take only that data: the literal is found, cut out by bracket matching and
// evaluated in an empty VM context (it is data, no code runs with any capability).
import fs from "node:fs"
import path from "node:path"
import vm from "node:vm"
import { parseCatalog } from "../src/provider/catalog/validate"

const OUT = path.join(import.meta.dir, "../src/provider/catalog/models-snapshot.json.gz")
const META = path.join(import.meta.dir, "../src/provider/catalog/models-snapshot.meta.json")

async function fromUrl(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) })
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
  return res.json()
}

function opencodeBinary(): string {
  const dir = path.join(import.meta.dir, "../node_modules/opencode-ai")
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
  for (const bin of Object.values<string>(typeof pkg.bin === "string" ? { opencode: pkg.bin } : pkg.bin)) {
    const file = path.join(dir, bin)
    if (fs.existsSync(file) && fs.statSync(file).size > 1_000_000) return file
  }
  throw new Error("node_modules/opencode-ai carries no binary (run npm install)")
}

function fromOpencode(): { data: unknown; version: string } {
  const file = opencodeBinary()
  const buf = fs.readFileSync(file)
  const text = buf.toString("latin1")
  // The catalog literal starts with its first provider: `({<id>:{id:"<id>",env:[`.
  const m = /\(\{[A-Za-z0-9_$"-]+:\{id:"[a-z0-9-]+",env:\[/.exec(text)
  if (!m) throw new Error(`no models.dev catalog found in ${file}`)
  const start = m.index + 1
  let depth = 0
  let quote: string | null = null
  let i = start
  for (; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === "\\") i++
      else if (c === quote) quote = null
    } else if (c === '"' || c === "'" || c === "`") quote = c
    else if (c === "{" || c === "[") depth++
    else if ((c === "}" || c === "]") && --depth === 0) break
  }
  const literal = buf.subarray(start, i + 1).toString("utf8")
  const data = vm.runInNewContext(`(${literal})`, Object.create(null), { timeout: 5000 })
  const version = JSON.parse(fs.readFileSync(path.join(path.dirname(file), "../package.json"), "utf8")).version
  return { data: JSON.parse(JSON.stringify(data)), version }
}

function newest(catalog: Record<string, any>) {
  let max = ""
  for (const p of Object.values(catalog)) for (const m of Object.values<any>(p.models)) if ((m.last_updated ?? "") > max) max = m.last_updated
  return max
}

/** Refreshes the snapshot when a newer catalog is found; never throws when none is. */
export async function refreshSnapshot(args: string[] = []) {
  const i = args.indexOf("--from")
  let data: unknown
  let source: string
  if (i !== -1) {
    const from = args[i + 1]!
    data = /^https?:/.test(from) ? await fromUrl(from) : JSON.parse(fs.readFileSync(from, "utf8"))
    source = from
  } else if (args.includes("--from-opencode")) {
    const o = fromOpencode()
    ;({ data } = o)
    source = `opencode-ai@${o.version}`
  } else {
    try {
      data = await fromUrl("https://models.dev/api.json")
      source = "https://models.dev/api.json"
    } catch (e) {
      try {
        const o = fromOpencode()
        ;({ data } = o)
        source = `opencode-ai@${o.version}`
      } catch (e2) {
        console.log(`catalog snapshot kept (models.dev: ${(e as Error).message}; opencode-ai: ${(e2 as Error).message})`)
        return
      }
    }
  }
  const catalog = parseCatalog(data)
  if (!catalog) throw new Error(`${source} is not a models.dev catalog`)
  const old = fs.existsSync(META) ? JSON.parse(fs.readFileSync(META, "utf8")) : undefined
  const meta = { source, newestModel: newest(catalog), providers: Object.keys(catalog).length, extracted: new Date().toISOString().slice(0, 10) }
  // Only a newer catalog replaces the committed one, so a build never dirties the tree for nothing.
  if (old && old.newestModel >= meta.newestModel && i === -1) {
    console.log(`catalog snapshot kept (newest model ${old.newestModel}; ${source} has nothing newer)`)
    return
  }
  fs.writeFileSync(OUT, Bun.gzipSync(JSON.stringify(catalog), { level: 9 }))
  fs.writeFileSync(META, JSON.stringify(meta, null, 2) + "\n")
  console.log(`catalog snapshot: ${meta.providers} providers from ${source}, newest model ${meta.newestModel}`)
}

if (import.meta.main) await refreshSnapshot(process.argv.slice(2))
