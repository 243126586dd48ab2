import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { createWorktree, listWorktrees, removeWorktree, resetWorktree } from "../../project/worktree"

const Worktree = t.Object({ name: t.String(), branch: t.Optional(t.String()), directory: t.String() }, { $id: "Worktree" })
const Target = t.Object({ directory: t.String({ description: "A worktree's directory, as GET /experimental/worktree lists it" }) })
const ERRORS = "400 WorktreeNotGitError outside a git repository; 400 Worktree…FailedError naming what git said."

// The web and desktop apps' "workspaces": git worktrees of the project in the data directory.
export function worktreeRoutes() {
  return new Elysia({ tags: ["experimental"] })
    .use(instanceScope)
    .get("/experimental/worktree", ({ instance }) => listWorktrees(instance), {
      query: DirectoryQuery,
      response: { 200: t.Array(t.String()) },
      detail: { operationId: "worktree.list", summary: "List worktrees", description: `Directories of the worktrees made for this project. ${ERRORS}` },
    })
    .post("/experimental/worktree", ({ instance, body }) => createWorktree(instance, body ?? {}), {
      query: DirectoryQuery,
      body: t.Optional(
        t.Object({
          name: t.Optional(t.String({ description: "Letters, digits, '.', '_', '-'; generated when omitted" })),
          startCommand: t.Optional(t.String({ description: "Run in the new worktree after the project's own start command" })),
        }),
      ),
      response: { 200: Worktree },
      detail: {
        operationId: "worktree.create",
        summary: "Create a worktree",
        description: `Adds a git worktree on a new branch opencode/<name> from HEAD and answers at once; start commands then run in it and end with a worktree.ready or worktree.failed event. ${ERRORS}`,
      },
    })
    .delete("/experimental/worktree", ({ instance, body }) => removeWorktree(instance, body.directory), {
      query: DirectoryQuery,
      body: Target,
      response: { 200: t.Boolean() },
      detail: { operationId: "worktree.remove", summary: "Remove a worktree", description: `Removes the worktree (uncommitted work in it too) and deletes its branch. ${ERRORS}` },
    })
    .post("/experimental/worktree/reset", ({ instance, body }) => resetWorktree(instance, body.directory), {
      query: DirectoryQuery,
      body: Target,
      response: { 200: t.Boolean() },
      detail: {
        operationId: "worktree.reset",
        summary: "Reset a worktree",
        description: `Moves the worktree's branch to the main checkout's default branch, dropping its commits, changes and untracked files. ${ERRORS}`,
      },
    })
}
