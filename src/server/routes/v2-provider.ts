import { Elysia, t } from "elysia"
import { locationOf } from "../../location/location"
import { LocationQuery, locationScope } from "./location"
import { ModelV2Info } from "../../v2/model"
import { ProviderV2Info, getProviderV2, listModelsV2, listProvidersV2 } from "../../v2/provider"
import { IntegrationInfo, getIntegration, listIntegrations } from "../../v2/integration"
import { IntegrationNotFoundError, ProviderNotFoundError, located } from "../../v2/schema"

const query = t.Object(LocationQuery)

export function v2ProviderRoutes() {
  return new Elysia({ tags: ["v2"] })
    .use(locationScope)
    .get("/api/model", async ({ instance }) => ({ location: locationOf(instance), data: await listModelsV2(instance) }), {
      query,
      response: { 200: located(t.Array(ModelV2Info)) },
      detail: { operationId: "v2.model.list", summary: "List models", description: "Models of the usable providers, newest release first." },
    })
    .get("/api/provider", async ({ instance }) => ({ location: locationOf(instance), data: await listProvidersV2(instance) }), {
      query,
      response: { 200: located(t.Array(ProviderV2Info)) },
      detail: {
        operationId: "v2.provider.list",
        summary: "List providers",
        description: "Providers usable now: configured in opencode.json, or holding a key (stored or from the environment).",
      },
    })
    .get(
      "/api/provider/:providerID",
      async ({ instance, params, status }) => {
        const data = await getProviderV2(instance, params.providerID)
        if (!data) return status(404, { _tag: "ProviderNotFoundError" as const, providerID: params.providerID, message: `Provider not found: ${params.providerID}` })
        return { location: locationOf(instance), data }
      },
      {
        params: t.Object({ providerID: t.String() }),
        query,
        response: { 200: located(ProviderV2Info), 404: ProviderNotFoundError },
        detail: { operationId: "v2.provider.get", summary: "Get provider", description: "Any provider the catalog or config knows, usable or not." },
      },
    )
    .get("/api/integration", async ({ instance }) => ({ location: locationOf(instance), data: await listIntegrations(instance) }), {
      query,
      response: { 200: located(t.Array(IntegrationInfo)) },
      detail: {
        operationId: "v2.integration.list",
        summary: "List integrations",
        description: "How each key-taking provider connects (a key via PUT /auth/:id, or its environment variables) and what is connected now.",
      },
    })
    .get(
      "/api/integration/:integrationID",
      async ({ instance, params, status }) => {
        const data = await getIntegration(instance, params.integrationID)
        if (!data)
          return status(404, { _tag: "IntegrationNotFoundError" as const, integrationID: params.integrationID, message: `Integration not found: ${params.integrationID}` })
        return { location: locationOf(instance), data }
      },
      {
        params: t.Object({ integrationID: t.String() }),
        query,
        response: { 200: located(IntegrationInfo), 404: IntegrationNotFoundError },
        detail: { operationId: "v2.integration.get", summary: "Get integration" },
      },
    )
}
