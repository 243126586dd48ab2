import { errorMessage } from "../util/error"
import { createLog } from "../util/log"
import { numberSetting } from "../global/settings"

const log = createLog("plugin")

export type LoadedPlugin = { name: string; hooks: Record<string, unknown> }

/** How long one hook call may take; read per call so an operator (or a test) can tune it. */
export function hookTimeoutMs() {
  return numberSetting("OPENCODE_PLUGIN_HOOK_TIMEOUT_MS", 30_000, Number.MIN_VALUE)
}

/** A plugin hook that threw or never finished: it fails the action that called it, nothing more. */
export class PluginHookError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "PluginHookError"
  }
}

/**
 * Calls every plugin's `name` hook in load order, each seeing the previous one's changes to
 * `output`, and returns `output`. A throw or a time-out is logged and thrown as
 * PluginHookError naming the plugin.
 */
export async function runHooks<O>(plugins: LoadedPlugin[], name: string, input: unknown, output: O): Promise<O> {
  for (const p of plugins) {
    const fn = p.hooks[name]
    if (typeof fn === "function") await bounded(p.name, name, () => fn.call(p.hooks, input, output))
  }
  return output
}

export async function bounded(plugin: string, hook: string, call: () => unknown): Promise<void> {
  const ms = hookTimeoutMs()
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    const what = hook === "init" ? "did not start" : `its "${hook}" hook did not finish`
    timer = setTimeout(() => reject(new PluginHookError(`plugin ${plugin}: ${what} within ${ms / 1000} s`)), ms)
  })
  try {
    await Promise.race([Promise.resolve().then(call), late])
  } catch (e) {
    const what = hook === "init" ? "failed to start" : `its "${hook}" hook failed`
    const error = e instanceof PluginHookError ? e : new PluginHookError(`plugin ${plugin}: ${what}: ${errorMessage(e)}`)
    log.error("plugin hook failed", { plugin, hook, error: error.message })
    throw error
  } finally {
    clearTimeout(timer)
  }
}
