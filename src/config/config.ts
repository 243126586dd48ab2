import type { Instance } from "../project/instance"
import { Bus } from "../bus"
import { TuiToastShow } from "../tui/events"
import { createLog } from "../util/log"
import type { ConfigInvalidError } from "./error"
import { currentSignature, loadConfig, type Loaded } from "./load"
import type { Config as ConfigShape } from "./schema"

export { merge } from "./load"
export { ConfigInvalidError } from "./error"

/** The merged opencode config. Unknown keys (newer opencode settings) pass through untyped. */
export type Config = ConfigShape & Record<string, any>

const log = createLog("config")

type State = { loaded?: Loaded; reported: string }
type Listener = (instance: Instance, config: Config) => void
const listeners = new Set<Listener>()

/**
 * The config for a directory: global, OPENCODE_CONFIG, project and `.opencode/` sources merged
 * (see sources.ts). Every call checks whether a source changed (a few stat calls) and reloads
 * if so; a source that fails to parse or validate keeps its last good content, and the
 * problem is logged and shown to attached TUIs as an error toast.
 */
export async function getConfig(instance: Instance): Promise<Config> {
  const config = current(instance).config as Config
  return transform ? transform(instance, config) : config
}

type Transform = (instance: Instance, config: Config) => Promise<Config>
let transform: Transform | undefined

/**
 * Lets plugins' `config` hooks amend the merged config, as they do in opencode (agents,
 * commands...). Registered by the plugin domain, so config never imports it.
 */
export function setConfigTransform(fn: Transform) {
  transform = fn
}

/** Problems with sources right now (each file's last good content is in use instead). */
export function configErrors(instance: Instance): ConfigInvalidError[] {
  return current(instance).errors
}

/**
 * Called after a directory's config changed (PATCH /config or an edited file), so domains
 * holding state derived from it (MCP clients, language servers, ...) can rebuild it.
 */
export function onConfigChange(fn: Listener): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/** Re-reads every source now (after writing a config file) and notifies listeners. */
export function reloadConfig(instance: Instance): Config {
  const st = state(instance)
  return refresh(instance, st, loadConfig(instance.directory, instance.worktree)).config as Config
}

function state(instance: Instance): State {
  return instance.state<State>("config", () => ({ reported: "" }))
}

function current(instance: Instance): Loaded {
  const st = state(instance)
  if (st.loaded && st.loaded.signature === currentSignature(instance.directory, instance.worktree)) return st.loaded
  return refresh(instance, st, loadConfig(instance.directory, instance.worktree))
}

function refresh(instance: Instance, st: State, next: Loaded): Loaded {
  const previous = st.loaded
  st.loaded = next
  report(instance, st, next.errors)
  if (previous && JSON.stringify(previous.config) !== JSON.stringify(next.config)) {
    log.info("config reloaded", { directory: instance.directory })
    for (const fn of listeners) {
      try {
        fn(instance, next.config as Config)
      } catch (e) {
        log.error("config change listener failed", { error: e })
      }
    }
  }
  return next
}

// Each distinct set of problems is reported once, not on every request that reads config.
function report(instance: Instance, st: State, errors: ConfigInvalidError[]) {
  const key = errors.map((e) => e.message).join("\n")
  if (key === st.reported) return
  st.reported = key
  for (const e of errors) {
    log.error("invalid config; its last good content stays in use", { file: e.file, issues: e.issues })
    Bus.publish(instance.directory, TuiToastShow, {
      title: "Invalid config",
      message: `${e.message}. The last valid version of this file is still in use.`,
      variant: "error",
      duration: 10_000,
    })
  }
}

