import { Elysia, t } from "elysia"
import { locationOf } from "../../location/location"
import { LocationQuery, locationScope } from "./location"
import { AgentV2Info, listAgentsV2 } from "../../v2/agent"
import { CommandV2Info, listCommandsV2 } from "../../v2/command"
import { SkillV2Info, listSkillsV2 } from "../../v2/skill"
import { ReferenceInfo, listReferences } from "../../v2/reference"
import { located } from "../../v2/schema"

const query = t.Object(LocationQuery)

// What a location offers (opencode 1.18 clients load these at start): each answer carries
// the location it was computed for.
export function v2ListRoutes() {
  return new Elysia({ tags: ["v2"] })
    .use(locationScope)
    .get("/api/agent", async ({ instance }) => ({ location: locationOf(instance), data: await listAgentsV2(instance) }), {
      query,
      response: { 200: located(t.Array(AgentV2Info)) },
      detail: {
        operationId: "v2.agent.list",
        summary: "List agents",
        description: "Built-in and config agents; permissions as an ordered ruleset where the last matching rule decides.",
      },
    })
    .get("/api/command", async ({ instance }) => ({ location: locationOf(instance), data: await listCommandsV2(instance) }), {
      query,
      response: { 200: located(t.Array(CommandV2Info)) },
      detail: { operationId: "v2.command.list", summary: "List commands", description: "Built-in commands and config `command` entries (including .opencode/command/*.md)." },
    })
    .get("/api/skill", ({ instance }) => ({ location: locationOf(instance), data: listSkillsV2() }), {
      query,
      response: { 200: located(t.Array(SkillV2Info)) },
      detail: { operationId: "v2.skill.list", summary: "List skills", description: "Always empty: this server's agent has no skill tool, so it offers no skills." },
    })
    .get("/api/reference", ({ instance }) => ({ location: locationOf(instance), data: listReferences(instance) }), {
      query,
      response: { 200: located(t.Array(ReferenceInfo)) },
      detail: {
        operationId: "v2.reference.list",
        summary: "List references",
        description:
          "Config `references` (or `reference`): local directories, resolved against the config file naming them, and git repositories, cloned in the background under the data directory.",
      },
    })
}
