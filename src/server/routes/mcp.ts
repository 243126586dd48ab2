import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import * as Mcp from "../../mcp"
import { McpConfig, McpStatus } from "../../mcp/schema"

const StatusMap = t.Record(t.String(), McpStatus)
const Name = t.Object({ name: t.String({ minLength: 1 }) })
const OAUTH = "OAuth is not supported by this server: answers 400 for a configured server, 404 for an unknown one."

export function mcpRoutes() {
  return new Elysia({ tags: ["mcp"] })
    .use(instanceScope)
    .get("/mcp", ({ instance }) => Mcp.status(instance), {
      query: DirectoryQuery,
      response: { 200: StatusMap },
      detail: { operationId: "mcp.status", summary: "Get MCP server status" },
    })
    .post("/mcp", ({ instance, body }) => Mcp.add(instance, body.name, body.config), {
      query: DirectoryQuery,
      body: t.Object({ name: t.String({ minLength: 1 }), config: McpConfig }),
      response: { 200: StatusMap },
      detail: {
        operationId: "mcp.add",
        summary: "Add MCP server",
        description: "Adds (or replaces) a server for this directory until the instance is disposed, connects it unless disabled, and answers every server's status.",
      },
    })
    .post("/mcp/:name/connect", ({ instance, params }) => Mcp.connectServer(instance, params.name), {
      query: DirectoryQuery,
      params: Name,
      response: { 200: t.Boolean() },
      detail: { operationId: "mcp.connect", summary: "Connect an MCP server", description: "True when the server is connected afterwards; on failure GET /mcp has the error." },
    })
    .post("/mcp/:name/disconnect", ({ instance, params }) => Mcp.disconnectServer(instance, params.name), {
      query: DirectoryQuery,
      params: Name,
      response: { 200: t.Boolean() },
      detail: { operationId: "mcp.disconnect", summary: "Disconnect an MCP server" },
    })
    .post("/mcp/:name/auth", ({ instance, params }) => Mcp.refuseOAuth(instance, params.name), {
      query: DirectoryQuery,
      params: Name,
      detail: { operationId: "mcp.auth.start", summary: "Start MCP OAuth", description: OAUTH },
    })
    .delete("/mcp/:name/auth", ({ instance, params }) => Mcp.refuseOAuth(instance, params.name), {
      query: DirectoryQuery,
      params: Name,
      detail: { operationId: "mcp.auth.remove", summary: "Remove MCP OAuth credentials", description: OAUTH },
    })
    .post("/mcp/:name/auth/callback", ({ instance, params }) => Mcp.refuseOAuth(instance, params.name), {
      query: DirectoryQuery,
      params: Name,
      detail: { operationId: "mcp.auth.callback", summary: "Complete MCP OAuth", description: OAUTH },
    })
    .post("/mcp/:name/auth/authenticate", ({ instance, params }) => Mcp.refuseOAuth(instance, params.name), {
      query: DirectoryQuery,
      params: Name,
      detail: { operationId: "mcp.auth.authenticate", summary: "Authenticate an MCP server", description: OAUTH },
    })
}
