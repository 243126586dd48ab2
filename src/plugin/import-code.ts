import fs from "node:fs"
import path from "node:path"
import { pluginCacheDir } from "./install"
import { setting } from "../global/settings"

// A compiled executable resolves imports inside its own embedded files, but not bare package
// names in files it imports from disk at run time (bun 1.4: "Cannot find package" even with
// the package right there in node_modules). Its bundler resolves them fine, so there a
// plugin is bundled first, with its dependencies, into one file in the cache, and that file is
// imported. `@opencode-ai/plugin` stays external: the virtual module (api-module.ts) serves it.
const COMPILED = import.meta.path.startsWith("/$bunfs/") || /^[A-Za-z]:[\\/]~BUN[\\/]/.test(import.meta.path)

/** Imports a plugin or tool file (TypeScript or JavaScript) with everything it imports. */
export async function importCode(file: string): Promise<unknown> {
  // The version query makes an edited file load anew after /instance/dispose, not from the module cache.
  if (!COMPILED && !setting("OPENCODE_PLUGIN_BUNDLE")) return import(`${file}?v=${fs.statSync(file).mtimeMs}`)
  const outdir = path.join(pluginCacheDir(), ".bundles", Bun.hash(file).toString(36))
  const r = await Bun.build({
    entrypoints: [file],
    target: "bun",
    format: "esm",
    external: ["@opencode-ai/plugin", "@opencode-ai/plugin/*"],
    outdir,
    // A new name whenever the code changes: a reloaded instance must not get the old module.
    naming: "[name]-[hash].[ext]",
    throw: false,
  })
  const out = r.outputs.find((o) => o.kind === "entry-point")
  if (!r.success || !out) throw new Error(`could not bundle ${file}: ${r.logs.map(String).join("; ") || "no output"}`)
  return import(out.path)
}
