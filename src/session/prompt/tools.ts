import { jsonSchema, tool, type ToolSet } from "ai"
import type { Instance } from "../../project/instance"
import type { Agent } from "../../agent/agent"
import type { Model } from "../../provider"
import { listTools } from "../../tool/registry"
import type { ToolDef } from "../../tool/tool"

export type StepTools = { defs: Map<string, ToolDef>; set: ToolSet }

// The model sees each tool's TypeBox schema as JSON Schema. Tools are declared without
// `execute`: the loop runs them itself after the step, through the permission gate.
const declared = new WeakMap<ToolDef, ToolSet[string]>()

function declare(def: ToolDef) {
  let t = declared.get(def)
  if (!t) {
    t = tool({ description: def.description, inputSchema: jsonSchema(JSON.parse(JSON.stringify(def.parameters))) })
    declared.set(def, t)
  }
  return t
}

/** The agent's tools for this model, minus those the prompt switched off (`tools: {name: false}`). */
export async function stepTools(instance: Instance, agent: Agent, model: Model, overrides: Record<string, boolean> = {}): Promise<StepTools> {
  const defs = new Map<string, ToolDef>()
  const set: ToolSet = {}
  if (!model.capabilities.toolcall) return { defs, set }
  for (const def of await listTools(instance, { agent, model })) {
    if (!enabled(def.id, overrides)) continue
    defs.set(def.id, def)
    set[def.id] = declare(def)
  }
  return { defs, set }
}

/** Exact names win over `prefix*` patterns; anything not mentioned stays on. */
function enabled(id: string, overrides: Record<string, boolean>) {
  if (id in overrides) return overrides[id]
  let verdict = true
  let best = -1
  for (const [pattern, on] of Object.entries(overrides)) {
    if (!pattern.endsWith("*")) continue
    const prefix = pattern.slice(0, -1)
    if (id.startsWith(prefix) && prefix.length > best) {
      best = prefix.length
      verdict = on
    }
  }
  return verdict
}
