import fs from "node:fs"
import path from "node:path"
import { parse as parseJsonc } from "jsonc-parser"
import type { Instance } from "../project/instance"
import { Paths } from "../global/paths"

// PROVISIONAL loader (foundation): global + project opencode.json(c), deep-merged. The config
// domain replaces the internals (OPENCODE_CONFIG, .opencode/ dirs, {env:}/{file:}, validation,
// PATCH) but keeps this signature: every domain reads config through getConfig(instance).
export type Config = Record<string, any> & {
  model?: string
  small_model?: string
  provider?: Record<string, any>
  agent?: Record<string, any>
  command?: Record<string, any>
  mcp?: Record<string, any>
  permission?: Record<string, any>
  instructions?: string[]
  disabled_providers?: string[]
  enabled_providers?: string[]
}

export async function getConfig(instance: Instance): Promise<Config> {
  return instance.state("config", () => load(instance))
}

function load(instance: Instance): Config {
  const files = [
    path.join(Paths.config, "config.json"),
    path.join(Paths.config, "opencode.json"),
    path.join(Paths.config, "opencode.jsonc"),
    ...projectFiles(instance),
  ]
  let out: Config = {}
  for (const f of files) {
    if (!fs.existsSync(f)) continue
    out = merge(out, parseJsonc(fs.readFileSync(f, "utf8")) ?? {})
  }
  return out
}

function projectFiles(instance: Instance) {
  const found: string[] = []
  let dir = instance.directory
  const stop = instance.worktree
  while (true) {
    for (const name of ["opencode.jsonc", "opencode.json"]) found.unshift(path.join(dir, name))
    if (dir === stop || path.dirname(dir) === dir) break
    dir = path.dirname(dir)
  }
  return found
}

export function merge(a: any, b: any): any {
  if (Array.isArray(a) || Array.isArray(b) || typeof a !== "object" || typeof b !== "object" || !a || !b) return b
  const out: any = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? merge(a[k], v) : v
  return out
}
