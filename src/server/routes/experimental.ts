import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { capabilities } from "../../experimental/capabilities"
import { consoleOrgs, consoleState, switchConsoleOrg } from "../../experimental/console"
import { listWorkspaces, workspaceAdapters, workspaceStatus } from "../../experimental/workspace"
import { listMcpResources } from "../../experimental/resources"
import { ConsoleOrg, ConsoleState, ExperimentalCapabilities, McpResource, Workspace, WorkspaceAdapter, WorkspaceStatus } from "../../experimental/schema"

export function experimentalRoutes() {
  return new Elysia({ tags: ["experimental"] })
    .use(instanceScope)
    .get("/experimental/capabilities", () => capabilities(), {
      query: DirectoryQuery,
      response: { 200: ExperimentalCapabilities },
      detail: {
        operationId: "experimental.capabilities.get",
        summary: "Get experimental capabilities",
        description: "Optional features this server offers. Subagents always run in the foreground here, so `backgroundSubagents` is false.",
      },
    })
    .get("/experimental/console", () => consoleState(), {
      query: DirectoryQuery,
      response: { 200: ConsoleState },
      detail: {
        operationId: "experimental.console.get",
        summary: "Get active Console provider metadata",
        description: "The active OpenCode Console org and the providers it manages. This server never signs in to Console: no managed providers, no orgs.",
      },
    })
    .get("/experimental/console/orgs", () => consoleOrgs(), {
      query: DirectoryQuery,
      response: { 200: t.Object({ orgs: t.Array(ConsoleOrg) }) },
      detail: { operationId: "experimental.console.listOrgs", summary: "List switchable Console orgs", description: "Always empty: this server is not signed in to OpenCode Console." },
    })
    .post("/experimental/console/switch", ({ body }) => switchConsoleOrg(body), {
      query: DirectoryQuery,
      body: t.Object({ accountID: t.String(), orgID: t.String() }),
      response: { 200: t.Boolean() },
      detail: { operationId: "experimental.console.switchOrg", summary: "Switch active Console org", description: "Fails with 400: there is no Console org to switch to on this server." },
    })
    .get("/experimental/workspace", () => listWorkspaces(), {
      query: DirectoryQuery,
      response: { 200: t.Array(Workspace) },
      detail: { operationId: "experimental.workspace.list", summary: "List workspaces", description: "Always empty: this server has no workspace adapter, so no workspace can be created." },
    })
    .get("/experimental/workspace/status", () => workspaceStatus(), {
      query: DirectoryQuery,
      response: { 200: t.Array(WorkspaceStatus) },
      detail: { operationId: "experimental.workspace.status", summary: "Workspace status", description: "Connection status of each workspace (none exist on this server)." },
    })
    .get("/experimental/workspace/adapter", () => workspaceAdapters(), {
      query: DirectoryQuery,
      response: { 200: t.Array(WorkspaceAdapter) },
      detail: { operationId: "experimental.workspace.adapter.list", summary: "List workspace adapters", description: "Always empty: this server ships no workspace adapter." },
    })
    .get("/experimental/resource", () => listMcpResources(), {
      query: DirectoryQuery,
      response: { 200: t.Record(t.String(), McpResource) },
      detail: {
        operationId: "experimental.resource.list",
        summary: "Get MCP resources",
        description: "MCP resources a prompt can attach, keyed `<client>:<name>`. Always empty: prompts on this server cannot carry MCP resource parts (MCP tools are offered to the agent as usual).",
      },
    })
}
