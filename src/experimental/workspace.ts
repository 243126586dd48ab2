import type { Workspace, WorkspaceAdapter, WorkspaceStatus } from "./schema"

// Workspaces are project copies that opencode runs through adapters (remote machines,
// containers). This server ships no adapter, so no workspace can exist: the lists are empty
// because there is nothing to list, and clients hide their workspace actions.

export function listWorkspaces(): Workspace[] {
  return []
}

export function workspaceStatus(): WorkspaceStatus[] {
  return []
}

export function workspaceAdapters(): WorkspaceAdapter[] {
  return []
}
