import { t, type Static } from "../util/schema"
import type { Instance } from "../project/instance"
import { findFiles } from "../file"

// The v2 API (opencode 1.18 clients) names the place a request acts on a "location": a
// directory, optionally a workspace, and the project it belongs to.

export const LocationInfo = t.Object(
  {
    directory: t.String(),
    workspaceID: t.Optional(t.String({ pattern: "^wrk" })),
    project: t.Object({ id: t.String(), directory: t.String({ description: 'The project\'s worktree ("/" for the shared project of directories outside git)' }) }),
  },
  { $id: "LocationInfo" },
)
export type LocationInfo = Static<typeof LocationInfo>

export const FileSystemEntry = t.Object(
  { path: t.String({ description: 'Relative to the location\'s directory; directories end in "/"' }), type: t.Union([t.Literal("file"), t.Literal("directory")]) },
  { $id: "FileSystemEntry" },
)
export type FileSystemEntry = Static<typeof FileSystemEntry>

export function locationOf(instance: Instance): LocationInfo {
  return { directory: instance.directory, project: { id: instance.project.id, directory: instance.project.worktree } }
}

const DEFAULT_LIMIT = 50

/** Fuzzy file and directory search (the TUI's `@` completion), wrapped with its location. */
export async function findEntries(
  instance: Instance,
  input: { query: string; type?: "file" | "directory"; limit?: number },
): Promise<{ location: LocationInfo; data: FileSystemEntry[] }> {
  const paths = await findFiles(instance, { query: input.query, type: input.type, limit: input.limit ?? DEFAULT_LIMIT })
  return {
    location: locationOf(instance),
    data: paths.map((p) => ({ path: p, type: p.endsWith("/") ? ("directory" as const) : ("file" as const) })),
  }
}
