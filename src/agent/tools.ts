import type { Instance } from "../project/instance"
import { registry } from "../provider/registry"
import { ModelNotFoundError } from "../provider/errors"
import { listTools } from "../tool/registry"
import { BadRequestError } from "../util/error"
import { getAgent } from "./agent"

export type ToolListItem = { id: string; description: string; parameters: unknown }

/** GET /experimental/tool/ids: every tool id, built-in and MCP, whatever the agent. */
export async function toolIds(instance: Instance): Promise<string[]> {
  return (await listTools(instance)).map((tool) => tool.id)
}

/**
 * GET /experimental/tool: the tools a model would be offered, with the JSON Schema of their
 * input. Narrowed to one agent's `tools` switches when `agent` is given.
 */
export async function toolList(instance: Instance, input: { provider: string; model: string; agent?: string }): Promise<ToolListItem[]> {
  await requireModel(instance, input.provider, input.model)
  const agent = input.agent ? await getAgent(instance, input.agent) : undefined
  if (input.agent && !agent) throw new BadRequestError(`Unknown agent "${input.agent}"`, "Query")
  const model = { providerID: input.provider, modelID: input.model }
  const tools = await listTools(instance, { agent, model })
  // Round-tripping through JSON drops TypeBox's symbol keys, leaving plain JSON Schema.
  return tools.map((tool) => ({ id: tool.id, description: tool.description, parameters: JSON.parse(JSON.stringify(tool.parameters)) }))
}

async function requireModel(instance: Instance, providerID: string, modelID: string) {
  const reg = await registry(instance)
  const entry = reg.providers.get(providerID)
  if (!entry) throw new ModelNotFoundError(providerID, modelID, await closest(providerID, [...reg.providers.keys()]), "provider")
  if (!entry.info.models[modelID]) throw new ModelNotFoundError(providerID, modelID, await closest(modelID, Object.keys(entry.info.models)), "model")
}

async function closest(query: string, candidates: string[]): Promise<string[]> {
  const { default: fuzzysort } = await import("fuzzysort")
  return fuzzysort.go(query, candidates, { limit: 3, threshold: 0.3 }).map((r) => r.target)
}
