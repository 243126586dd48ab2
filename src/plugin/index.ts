import { onInstanceCreated, type Instance } from "../project/instance"
import { Bus } from "../bus"
import type { ToolDef } from "../tool/tool"
import { createLog } from "../util/log"
import { getConfig, setConfigTransform, type Config } from "../config/config"
import { loadPlugins, type Loaded } from "./load"
import type { PluginStatus } from "./schema"
import { bounded, runHooks } from "./trigger"

export { PluginHookError } from "./trigger"
export { setServerAddress } from "./client"

const log = createLog("plugin")

type State = {
  loaded: Promise<Loaded>
  stop: () => void
  /** Set once loading is over. */
  done?: Loaded
  /** The config as the `config` hooks left it, per merged config object (undefined while they run). */
  amended: WeakMap<object, { value?: Config }>
}

/**
 * The plugins of an instance, loaded once when the instance is created (so failures show up
 * at once and `event` sees everything from the start) and kept until it is disposed. Every
 * bus event of the directory goes to each `event` hook, in order, without waiting on them.
 */
export function plugins(instance: Instance): Promise<Loaded> {
  return state(instance).loaded
}

function state(instance: Instance): State {
  return instance.state<State>(
    "plugin",
    () => {
      const loaded = loadPlugins(instance)
      const stop = Bus.subscribe((env) => {
        if (env.directory !== instance.directory) return
        // A copy per event: the payload holds live objects (parts, messages) a plugin must not change.
        if (st.done) deliver(st.done, JSON.parse(env.json))
        else void loaded.then((l) => deliver(l, JSON.parse(env.json)))
      })
      const st: State = { loaded, stop, amended: new WeakMap() }
      void loaded.then(
        (l) => {
          st.done = l
          // Without an `event` hook there is nobody to deliver to.
          if (!l.plugins.some((p) => typeof p.hooks.event === "function")) stop()
          // The `config` hooks run now, not at the next request that happens to read config.
          void getConfig(instance).catch(() => {})
        },
        () => stop(),
      )
      return st
    },
    async (s) => {
      s.stop()
      const loaded = await s.loaded
      for (const undo of loaded.cleanup) undo()
      for (const p of loaded.plugins)
        if (typeof p.hooks.dispose === "function") await bounded(p.name, "dispose", () => (p.hooks.dispose as () => unknown)()).catch(() => {})
    },
  )
}

/**
 * The merged config after the plugins' `config` hooks, which may change it (add agents,
 * commands...). Never waits for plugins still loading, and answers the unamended config while
 * the hooks run: a plugin starting up, or a hook, may itself read the config through the API.
 */
setConfigTransform(async (instance, config) => {
  const st = instance.peek<State>("plugin")
  const list = st?.done?.plugins.filter((p) => typeof p.hooks.config === "function")
  if (!st || !list?.length) return config
  const hit = st.amended.get(config)
  if (hit) return hit.value ?? config
  const entry: { value?: Config } = {}
  st.amended.set(config, entry)
  const copy = structuredClone(config)
  entry.value = await runHooks(list, "config", copy, undefined).then(() => copy, () => config)
  return entry.value
})

// Not awaited, as in opencode: a slow `event` hook delays nothing and queues nothing; each
// call is still bounded, so one that hangs is logged.
function deliver(l: Loaded, event: unknown) {
  for (const p of l.plugins) {
    const hook = p.hooks.event
    if (typeof hook === "function") void bounded(p.name, "event", () => hook.call(p.hooks, { event })).catch(() => {})
  }
}

onInstanceCreated((instance) => {
  plugins(instance).catch((e) => log.error("plugins failed to load", { error: e }))
})

/**
 * Runs a hook of every plugin of the instance over `output` (see runHooks) and returns it.
 * The one call each hook point in the server makes.
 */
export async function trigger<O>(instance: Instance, name: string, input: unknown, output: O): Promise<O> {
  const { plugins: list } = await plugins(instance)
  if (!list.length) return output
  return runHooks(list, name, input, output)
}

export async function pluginTools(instance: Instance): Promise<ToolDef[]> {
  return (await plugins(instance)).tools
}

export async function pluginStatus(instance: Instance): Promise<PluginStatus[]> {
  return (await plugins(instance)).status
}

/**
 * The description and JSON Schema of a tool as the model should see them, when some plugin
 * has a `tool.definition` hook (undefined otherwise, so tools keep their cached declaration).
 */
export async function toolDefinition(instance: Instance, def: ToolDef): Promise<{ description: string; parameters: unknown } | undefined> {
  const { plugins: list } = await plugins(instance)
  if (!list.some((p) => typeof p.hooks["tool.definition"] === "function")) return undefined
  return runHooks(list, "tool.definition", { toolID: def.id }, { description: def.description, parameters: JSON.parse(JSON.stringify(def.parameters)) })
}

/** What the `permission.ask` hooks decide for a request the rules left to the user. */
export async function permissionVerdict(instance: Instance, request: unknown): Promise<"ask" | "allow" | "deny"> {
  const out = await trigger(instance, "permission.ask", request, { status: "ask" as string })
  return out.status === "allow" || out.status === "deny" ? out.status : "ask"
}

/** Extra environment for a shell command (bash tool, /shell), from the `shell.env` hooks. */
export async function shellEnv(instance: Instance, input: { cwd: string; sessionID?: string; callID?: string }): Promise<Record<string, string>> {
  return (await trigger(instance, "shell.env", input, { env: {} as Record<string, string> })).env
}

/** The history the model sees, after the `experimental.chat.messages.transform` hooks (on a copy). */
export async function transformMessages<T>(instance: Instance, history: T[]): Promise<T[]> {
  const { plugins: list } = await plugins(instance)
  if (!list.some((p) => typeof p.hooks["experimental.chat.messages.transform"] === "function")) return history
  return (await runHooks(list, "experimental.chat.messages.transform", {}, { messages: structuredClone(history) })).messages
}

/** The compaction request, with what `experimental.session.compacting` hooks add or replace. */
export async function compactionPrompt(instance: Instance, sessionID: string, prompt: string): Promise<string> {
  const out = await trigger(instance, "experimental.session.compacting", { sessionID }, { context: [] as string[], prompt: undefined as string | undefined })
  if (typeof out.prompt === "string" && out.prompt.trim()) return out.prompt
  return [prompt, ...(Array.isArray(out.context) ? out.context : [])].join("\n\n")
}
