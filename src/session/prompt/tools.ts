import type { ToolSet } from "ai"
import type { Instance } from "../../project/instance"
import type { Agent } from "../../agent/agent"
import type { Model } from "../../provider"
import { listTools, toolEnabled } from "../../tool/registry"
import type { ToolDef } from "../../tool/tool"
import { toolDefinition } from "../../plugin"

export type StepTools = { defs: Map<string, ToolDef>; set: ToolSet }

// The model sees each tool's TypeBox schema as JSON Schema. Tools are declared without
// `execute`: the loop runs them itself after the step, through the permission gate.
const declared = new WeakMap<ToolDef, ToolSet[string]>()

type Sdk = typeof import("ai")

function declare(def: ToolDef, { tool, jsonSchema }: Sdk) {
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
  // Loaded on the first prompt rather than at start-up.
  const sdk = await import("ai")
  for (const def of await listTools(instance, { agent, model: { providerID: model.providerID, modelID: model.id } })) {
    if (!toolEnabled(def.id, overrides) || forbidden(def.id, agent)) continue
    defs.set(def.id, def)
    const shown = await toolDefinition(instance, def)
    set[def.id] = shown ? sdk.tool({ description: shown.description, inputSchema: sdk.jsonSchema(shown.parameters as never) }) : declare(def, sdk)
  }
  return { defs, set }
}

// Tools whose every use the agent's permissions deny are left out rather than offered and then
// refused: a plan agent is never tempted to edit, and no call is wasted.
const EDITING = new Set(["edit", "write", "patch", "multiedit"])

function forbidden(id: string, agent: Agent): boolean {
  const p = agent.permission
  if (EDITING.has(id)) return p.edit === "deny"
  if (id === "webfetch") return p.webfetch === "deny"
  if (id === "bash") return Object.values(p.bash).every((action) => action === "deny") && Object.keys(p.bash).length > 0
  return false
}
