import type { Instance } from "../project/instance"
import { getConfig, type Config } from "../config/config"
import { BadRequestError } from "../util/error"
import { createLog } from "../util/log"
import { BUILTIN_AGENTS, DEFAULT_PERMISSION } from "./builtin"
import { overlay, type PermissionConfig } from "./permission"
import type { Agent } from "./schema"

export type { Agent } from "./schema"

const log = createLog("agent")

// Keys of an agent config entry with a meaning of their own; every other key is passed to
// the provider as an option (e.g. reasoningEffort), as the real opencode does.
// Keys that configure the agent itself; any other key is a provider option (as in opencode).
const KNOWN = new Set(["model", "temperature", "top_p", "prompt", "tools", "disable", "description", "mode", "color", "maxSteps", "steps", "hidden", "variant", "permission", "options", "name"])

/** Built-ins merged with config `agent` (and legacy `mode`) entries; `disable: true` removes one. */
export async function listAgents(instance: Instance): Promise<Agent[]> {
  return resolveAgents(await getConfig(instance))
}

/** The agents a `task` call or a subtask may name: everything not reserved for primary use. */
export async function listSubagents(instance: Instance): Promise<Agent[]> {
  return (await listAgents(instance)).filter((a) => a.mode !== "primary")
}

export async function getAgent(instance: Instance, name: string): Promise<Agent | undefined> {
  return (await listAgents(instance)).find((a) => a.name === name)
}

/** config `default_agent` when it names a usable primary agent, else build, else the first primary. */
export async function defaultAgent(instance: Instance): Promise<Agent> {
  const cfg = await getConfig(instance)
  const agents = resolveAgents(cfg)
  const primary = agents.filter((a) => a.mode !== "subagent")
  const wanted = typeof cfg.default_agent === "string" ? cfg.default_agent : undefined
  if (wanted) {
    const hit = primary.find((a) => a.name === wanted)
    if (hit) return hit
    log.warn("default_agent is not a primary agent; falling back", { default_agent: wanted })
  }
  const pick = primary.find((a) => a.name === "build") ?? primary[0]
  if (!pick) throw new BadRequestError("No primary agent is available: every primary agent is disabled in config")
  return pick
}

export function resolveAgents(cfg: Config): Agent[] {
  // Layers, later winning: defaults, a built-in agent's own rules, config `permission`, then
  // the agent's own config entry (applyEntry).
  const configPermission = cfg.permission as PermissionConfig | undefined
  const globalPermission = overlay(DEFAULT_PERMISSION, configPermission)
  const globalTools: Record<string, boolean> = cfg.tools ?? {}
  const byName = new Map<string, Agent>()
  for (const b of BUILTIN_AGENTS) {
    byName.set(b.name, {
      ...b,
      permission: overlay(overlay(DEFAULT_PERMISSION, b.permission), configPermission),
      tools: { ...b.tools, ...globalTools },
    })
  }
  const entries: Array<[string, Record<string, any>]> = [
    ...Object.entries(cfg.mode ?? {}).map(([k, v]) => [k, { mode: "primary", ...(v as object) }] as [string, any]),
    ...Object.entries(cfg.agent ?? {}),
  ]
  for (const [name, entry] of entries) {
    if (!entry || typeof entry !== "object") continue
    if (entry.disable === true) {
      byName.delete(name)
      continue
    }
    const base: Agent = byName.get(name) ?? {
      name,
      mode: "all",
      builtIn: false,
      permission: globalPermission,
      tools: { ...globalTools },
      options: {},
    }
    byName.set(name, applyEntry(base, entry))
  }
  return [...byName.values()]
}

function applyEntry(base: Agent, entry: Record<string, any>): Agent {
  const out: Agent = { ...base, tools: { ...base.tools, ...(entry.tools ?? {}) }, options: { ...base.options, ...(entry.options ?? {}) } }
  for (const [k, v] of Object.entries(entry)) if (!KNOWN.has(k)) out.options[k] = v
  if (entry.description !== undefined) out.description = entry.description
  if (entry.mode !== undefined) out.mode = entry.mode
  if (entry.prompt !== undefined) out.prompt = entry.prompt
  if (entry.temperature !== undefined) out.temperature = entry.temperature
  if (entry.top_p !== undefined) out.topP = entry.top_p
  if (entry.color !== undefined) out.color = entry.color
  // `steps` is the 1.18 name of `maxSteps`.
  if (entry.maxSteps !== undefined || entry.steps !== undefined) out.maxSteps = entry.maxSteps ?? entry.steps
  if (entry.hidden !== undefined) out.hidden = entry.hidden === true
  if (entry.model !== undefined) out.model = parseModel(entry.model)
  if (entry.permission) out.permission = overlay(base.permission, entry.permission)
  return out
}

/** "provider/model"; the model id itself may contain slashes (openrouter/anthropic/claude...). */
export function parseModel(ref: string): { providerID: string; modelID: string } | undefined {
  const i = ref.indexOf("/")
  if (i <= 0 || i === ref.length - 1) return undefined
  return { providerID: ref.slice(0, i), modelID: ref.slice(i + 1) }
}
