import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import * as Providers from "../../provider"
import { Auth, ConfigProviders, ProviderAuthAuthorization, ProviderAuthMethod, ProviderErrorBody, ProviderID, ProviderList } from "../../provider/schema"

const Params = t.Object({ providerID: ProviderID })
const AuthorizeBody = t.Object({
  method: t.Integer({ minimum: 0, description: "Auth method index (GET /provider/auth)" }),
  inputs: t.Optional(t.Record(t.String(), t.String({ maxLength: 4096 }))),
})
const CallbackBody = t.Object({ method: t.Integer({ minimum: 0, description: "Auth method index" }), code: t.Optional(t.String({ maxLength: 16384 })) })
const AUTHORIZE =
  "Starts a sign-in (one pending per provider). Device flows put their code in `instructions`; `method` says how to finish: " +
  '"auto" = call the callback without a code, it waits for the flow; "code" = call it with the code shown after signing in. An API-key method answers null.'
const CALLBACK =
  'Finishes the pending sign-in and stores the credential (owner-only). "auto" blocks until the device or browser flow ends (minutes); ' +
  "closing the request cancels the flow."

export function providerRoutes() {
  // Credentials are global, not per directory: registered before the instance scope applies.
  return new Elysia()
    .put("/auth/:providerID", ({ params, body }) => Providers.setCredential(params.providerID, body), {
      tags: ["control"],
      params: Params,
      body: Auth,
      response: { 200: t.Boolean(), 400: ProviderErrorBody },
      detail: { operationId: "auth.set", summary: "Set auth credentials", description: "Stores the credential in the server's data directory (auth.json, owner-only)." },
    })
    .delete("/auth/:providerID", ({ params }) => Providers.removeCredential(params.providerID), {
      tags: ["control"],
      params: Params,
      response: { 200: t.Boolean(), 400: ProviderErrorBody },
      detail: { operationId: "auth.remove", summary: "Remove auth credentials", description: "Answers false when nothing was stored for the provider." },
    })
    .use(instanceScope)
    // Served from JSON serialised once per registry build (7 MB; see listProvidersJSON).
    .get("/provider", async ({ instance }) => new Response(await Providers.listProvidersJSON(instance), { headers: { "content-type": "application/json;charset=utf-8" } }), {
      tags: ["provider"],
      query: DirectoryQuery,
      response: { 200: ProviderList },
      detail: { operationId: "provider.list", summary: "List providers", description: "Every known provider (catalog and config), which are connected, and each one's default model." },
    })
    .get("/config/providers", ({ instance }) => Providers.connectedProviders(instance), {
      tags: ["config"],
      query: DirectoryQuery,
      response: { 200: ConfigProviders },
      detail: { operationId: "config.providers", summary: "List config providers", description: "Providers usable now (configured or holding a credential) and their default models." },
    })
    .get("/provider/auth", ({ instance }) => Providers.authMethods(instance), {
      tags: ["provider"],
      query: DirectoryQuery,
      response: { 200: t.Record(t.String(), t.Array(ProviderAuthMethod)) },
      detail: { operationId: "provider.auth", summary: "Get provider auth methods" },
    })
    .post("/provider/:providerID/oauth/authorize", ({ params, body }) => Providers.oauthAuthorize(params.providerID, body.method, body.inputs), {
      tags: ["provider"],
      params: Params,
      query: DirectoryQuery,
      body: AuthorizeBody,
      response: { 200: t.Union([ProviderAuthAuthorization, t.Null()]), 400: ProviderErrorBody },
      detail: { operationId: "provider.oauth.authorize", summary: "Start OAuth authorization", description: AUTHORIZE },
    })
    .post("/provider/:providerID/oauth/callback", ({ params, body, request }) => Providers.oauthCallback(params.providerID, body.code, request.signal), {
      tags: ["provider"],
      params: Params,
      query: DirectoryQuery,
      body: CallbackBody,
      response: { 200: t.Boolean(), 400: ProviderErrorBody },
      detail: { operationId: "provider.oauth.callback", summary: "Handle OAuth callback", description: CALLBACK },
    })
}
