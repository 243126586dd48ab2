import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import * as Mcp from "../../mcp"
import * as McpOAuth from "../../mcp/oauth"
import { McpConfig, McpStatus } from "../../mcp/schema"

const StatusMap = t.Record(t.String(), McpStatus)
const Name = t.Object({ name: t.String({ minLength: 1 }) })
const SIGNED_IN = "Stored owner-only beside the provider credentials; the server reconnects once signed in."

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
    .post("/mcp/:name/auth", ({ instance, params }) => McpOAuth.startAuth(instance, params.name), {
      query: DirectoryQuery,
      params: Name,
      response: { 200: t.Object({ authorizationUrl: t.String(), oauthState: t.String() }) },
      detail: {
        operationId: "mcp.auth.start",
        summary: "Start MCP OAuth",
        description: "Discovers the server's authorization server, registers a client if needed (RFC 7591) and answers the URL to open (empty when already signed in).",
      },
    })
    .delete("/mcp/:name/auth", ({ instance, params }) => McpOAuth.removeAuth(instance, params.name), {
      query: DirectoryQuery,
      params: Name,
      response: { 200: t.Object({ success: t.Literal(true) }) },
      detail: { operationId: "mcp.auth.remove", summary: "Remove MCP OAuth credentials" },
    })
    .post("/mcp/:name/auth/callback", ({ instance, params, body }) => McpOAuth.finishAuth(instance, params.name, body.code), {
      query: DirectoryQuery,
      params: Name,
      body: t.Object({ code: t.String({ minLength: 1, maxLength: 8192 }) }),
      response: { 200: McpStatus },
      detail: { operationId: "mcp.auth.callback", summary: "Complete MCP OAuth", description: `Exchanges the authorization code for tokens. ${SIGNED_IN}` },
    })
    .post("/mcp/:name/auth/authenticate", ({ instance, params, request }) => McpOAuth.authenticate(instance, params.name, request.signal), {
      query: DirectoryQuery,
      params: Name,
      response: { 200: McpStatus },
      detail: {
        operationId: "mcp.auth.authenticate",
        summary: "Authenticate an MCP server",
        description: `Starts a sign-in and waits for the browser to come back to the loopback callback (5 minutes at most). This server opens no browser: the URL goes out as an mcp.browser.open.failed event. ${SIGNED_IN}`,
      },
    })
}
