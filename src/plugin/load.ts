import path from "node:path"
import fs from "node:fs"
import type { Instance } from "../project/instance"
import { Bus } from "../bus"
import { getConfig } from "../config/config"
import { TuiToastShow } from "../tui/events"
import type { ToolDef } from "../tool/tool"
import { errorMessage } from "../util/error"
import { createLog } from "../util/log"
import { registerPluginApi } from "./api-module"
import { registerAuth, type AuthHook } from "../provider/auth/registry"
import { pluginClient, serverUrl } from "./client"
import { codeFiles } from "./discover"
import { PluginFailed } from "./events"
import { installedEntry, installFolderDependencies } from "./install"
import { importCode } from "./import-code"
import type { PluginStatus } from "./schema"
import { parseSpec, type PluginSpec } from "./spec"
import { fromDefinition, isToolDefinition } from "./tools"
import { bounded, type LoadedPlugin } from "./trigger"

const log = createLog("plugin")

export type Loaded = {
  plugins: LoadedPlugin[]
  tools: ToolDef[]
  status: PluginStatus[]
  /** Undoes what loading registered elsewhere (sign-in methods), when the instance goes. */
  cleanup: Array<() => void>
}

type Source = { name: string; source: PluginStatus["source"]; spec?: PluginSpec; file?: string; error?: string }

/**
 * Every plugin and custom tool of a directory: the `plugin` config entries (npm packages
 * installed into the cache, file: URLs, paths), then the files in the plugin folders, then
 * the tool folders. Each one that fails is reported and skipped; this never throws.
 */
export async function loadPlugins(instance: Instance): Promise<Loaded> {
  const out: Loaded = { plugins: [], tools: [], status: [], cleanup: [] }
  const config = await getConfig(instance).catch(() => ({}) as Record<string, any>)
  const sources: Source[] = []
  for (const entry of Array.isArray(config.plugin) ? config.plugin : []) {
    try {
      const spec = parseSpec(entry, instance.directory)
      sources.push({ name: spec.label, source: spec.kind, spec })
    } catch (e) {
      sources.push({ name: typeof entry === "string" ? entry : JSON.stringify(entry), source: "npm", error: errorMessage(e) })
    }
  }
  for (const file of codeFiles("plugin", instance.directory, instance.worktree)) sources.push({ name: file, source: "file", file })
  const toolFiles = codeFiles("tool", instance.directory, instance.worktree)
  if (!sources.length && !toolFiles.length) return out
  registerPluginApi()
  // The folders holding plugin or tool files may declare what those import (package.json).
  const folders = new Set([...sources.flatMap((s) => (s.file ? [s.file] : [])), ...toolFiles].map((f) => path.dirname(path.dirname(f))))
  await Promise.all(
    [...folders].map((dir) =>
      installFolderDependencies(dir).catch((e) => fail(instance, out, path.join(dir, "package.json"), "npm", e)),
    ),
  )

  const input = {
    client: pluginClient(instance.directory),
    project: instance.project,
    directory: instance.directory,
    worktree: instance.worktree,
    serverUrl: serverUrl(),
    $: Bun.$,
    experimental_workspace: { register: () => log.warn("a plugin registered a workspace adapter; this server has no workspaces") },
  }
  // Installs run side by side; plugins then start one by one, in config order.
  const modules = sources.map((s) => (s.error ? Promise.reject(new Error(s.error)) : importSource(s)))
  // Awaited in order below; a later one failing meanwhile is not an unhandled rejection.
  for (const m of modules) m.catch(() => {})
  for (const [i, s] of sources.entries()) {
    try {
      const { mod, version } = await modules[i]
      const fns = pluginFunctions(mod)
      if (!fns.length) throw new Error("it exports no plugin function (a default or named export taking the plugin input)")
      const hookNames = new Set<string>()
      const toolIds: string[] = []
      for (const [n, fn] of fns.entries()) {
        const name = fns.length > 1 ? `${s.name}#${n + 1}` : s.name
        let hooks: unknown
        await bounded(name, "init", async () => {
          hooks = await fn(input, s.spec?.options ?? {})
        })
        if (typeof hooks !== "object" || hooks === null) throw new Error("its plugin function returned no hooks object")
        const h = hooks as Record<string, unknown>
        out.plugins.push({ name, hooks: h })
        if (h.auth) out.cleanup.push(registerAuth(boundedAuth(name, h.auth as AuthHook)))
        for (const k of Object.keys(h)) if (k !== "tool") hookNames.add(k)
        for (const [id, def] of Object.entries((h.tool ?? {}) as Record<string, unknown>)) {
          if (!isToolDefinition(def)) throw new Error(`its tool "${id}" is not a tool() definition`)
          out.tools.push(fromDefinition(id, def))
          toolIds.push(id)
        }
      }
      out.status.push({ name: s.name, source: s.source, status: "loaded", ...(version ? { version } : {}), hooks: [...hookNames], tools: toolIds })
    } catch (e) {
      fail(instance, out, s.name, s.source, e)
    }
  }
  for (const file of toolFiles) {
    try {
      const mod = await importCode(file)
      const base = path.basename(file).replace(/\.[^.]+$/, "")
      const ids: string[] = []
      for (const [key, def] of Object.entries(mod as Record<string, unknown>)) {
        if (!isToolDefinition(def)) continue
        const id = key === "default" ? base : `${base}_${key}`
        out.tools.push(fromDefinition(id, def))
        ids.push(id)
      }
      if (!ids.length) throw new Error("it exports no tool() definition")
      out.status.push({ name: file, source: "tool", status: "loaded", hooks: [], tools: ids })
    } catch (e) {
      fail(instance, out, file, "tool", e)
    }
  }
  log.info("plugins loaded", { directory: instance.directory, loaded: out.status.filter((s) => s.status === "loaded").length, failed: out.status.filter((s) => s.status === "failed").length })
  return out
}

async function importSource(s: Source): Promise<{ mod: unknown; version?: string }> {
  if (s.file) return { mod: await importCode(s.file) }
  const spec = s.spec!
  if (spec.kind === "file") {
    if (!fs.existsSync(spec.file)) throw new Error(`no such file: ${spec.file}`)
    return { mod: await importCode(spec.file) }
  }
  const installed = await installedEntry(spec.name, spec.version)
  return { mod: await importCode(installed.entry), version: installed.version }
}

/** Plugin functions of a module: exported functions and `{server}` objects, each once. */
function pluginFunctions(mod: unknown): Array<(input: unknown, options: unknown) => unknown> {
  const out = new Set<(input: unknown, options: unknown) => unknown>()
  for (const value of Object.values((mod ?? {}) as Record<string, unknown>)) {
    if (typeof value === "function") out.add(value as never)
    else if (value && typeof value === "object" && typeof (value as { server?: unknown }).server === "function") out.add((value as { server: never }).server)
  }
  return [...out]
}

function fail(instance: Instance, out: Loaded, name: string, source: PluginStatus["source"], e: unknown) {
  const error = errorMessage(e)
  out.status.push({ name, source, status: "failed", error, hooks: [], tools: [] })
  log.error("plugin failed to load", { directory: instance.directory, name, error })
  Bus.publish(instance.directory, PluginFailed, { name, source, error })
  Bus.publish(instance.directory, TuiToastShow, { title: "Plugin failed", message: `${name}: ${error}`, variant: "error", duration: 10_000 })
}

/**
 * The hook with its loader and each method's `authorize` bounded like any hook (a stuck one
 * fails its sign-in or model call). Callbacks are not: an "auto" one waits minutes for the user.
 */
function boundedAuth(plugin: string, hook: AuthHook): AuthHook {
  const call = <T>(what: string, fn: () => Promise<T>) => {
    let value: T
    return bounded(plugin, what, async () => {
      value = await fn()
    }).then(() => value)
  }
  const loader = hook.loader
  return {
    ...hook,
    ...(loader ? { loader: (auth, provider) => call("auth.loader", () => loader(auth, provider)) } : {}),
    methods: !Array.isArray(hook.methods) ? hook.methods : hook.methods.map((m) => {
      const authorize = m.authorize as ((inputs?: Record<string, string>) => Promise<any>) | undefined
      return authorize ? ({ ...m, authorize: (inputs?: Record<string, string>) => call("auth.authorize", () => authorize.call(m, inputs)) } as typeof m) : m
    }),
  }
}
