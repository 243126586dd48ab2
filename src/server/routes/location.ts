import { Elysia, t } from "elysia"
import { resolveDirectory } from "../directory"
import { getInstance } from "../../project/instance"
import { NotFoundError } from "../../util/error"
import { findEntries, locationOf, FileSystemEntry, LocationInfo } from "../../location/location"

// v2 routes take their directory as a deepObject query, `location[directory]=...`, falling
// back (like v1 routes) to the x-opencode-directory header, then the server's directory.
export const LocationQuery = {
  "location[directory]": t.Optional(t.String({ description: "Directory to act on (default: x-opencode-directory, then the server's directory)" })),
  "location[workspace]": t.Optional(t.String({ description: "Workspace id; this server has no workspaces" })),
}

export const locationScope = new Elysia({ name: "location-scope" }).resolve({ as: "scoped" }, async ({ request }) => {
  const url = new URL(request.url)
  const workspace = url.searchParams.get("location[workspace]")
  if (workspace) throw new NotFoundError(`Workspace not found: ${workspace}`)
  const directory = url.searchParams.get("location[directory]")
  const scoped = directory ? new Request(`http://local/?directory=${encodeURIComponent(directory)}`, { headers: request.headers }) : request
  return { instance: await getInstance(resolveDirectory(scoped)) }
})

export function locationRoutes() {
  return new Elysia({ tags: ["v2"] })
    .use(locationScope)
    .get("/api/location", ({ instance }) => locationOf(instance), {
      query: t.Object(LocationQuery),
      response: { 200: LocationInfo },
      detail: { operationId: "v2.location.get", summary: "Get location", description: "The directory a request acts on and the project it belongs to." },
    })
    .get(
      "/api/fs/find",
      ({ instance, query }) => findEntries(instance, { query: query.query, type: query.type, limit: query.limit === undefined ? undefined : Number(query.limit) }),
      {
        query: t.Object({
          ...LocationQuery,
          query: t.String({ description: "Fuzzy search text; empty lists the first entries" }),
          type: t.Optional(t.Union([t.Literal("file"), t.Literal("directory")])),
          limit: t.Optional(t.String({ pattern: "^(?:[1-9][0-9]{0,2})$", description: "Maximum results, 1-999 (default 50)" })),
        }),
        response: { 200: t.Object({ location: LocationInfo, data: t.Array(FileSystemEntry) }) },
        detail: {
          operationId: "v2.fs.find",
          summary: "Find files",
          description: 'Fuzzy-find files and directories of the location (what the TUI\'s "@" completion lists). Directories end in "/".',
        },
      },
    )
}
