import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery, scopedQuery } from "../directory"
import { vcsApply, vcsDiff, vcsDiffRaw, vcsStatus, VcsFileDiff, VcsFileStatus } from "../../project/vcs-changes"

export function vcsRoutes() {
  return new Elysia({ tags: ["vcs"] })
    .use(instanceScope)
    .get("/vcs/status", ({ instance }) => vcsStatus(instance), {
      query: DirectoryQuery,
      response: { 200: t.Array(VcsFileStatus) },
      detail: {
        operationId: "vcs.status",
        summary: "Get VCS status",
        description: "Files changed in the working tree against HEAD (untracked ones as added), with line counts, without patches. Empty outside git.",
      },
    })
    .get("/vcs/diff", ({ instance, query }) => vcsDiff(instance, query.mode, query.context), {
      query: scopedQuery({
        mode: t.Union([t.Literal("git"), t.Literal("branch")], { description: '"git": uncommitted changes against HEAD; "branch": everything since the current branch left the default branch' }),
        context: t.Optional(t.Integer({ description: "Context lines per hunk, 0-10000 (default 3)" })),
      }),
      response: { 200: t.Array(VcsFileDiff) },
      detail: {
        operationId: "vcs.diff",
        summary: "Get VCS diff",
        description: "Changed files with unified patches (a patch is left out when too large). Empty outside git, and in branch mode while on the default branch.",
      },
    })
    .get(
      "/vcs/diff/raw",
      async ({ instance }) => new Response(await vcsDiffRaw(instance), { headers: { "content-type": "text/x-diff; charset=utf-8" } }),
      {
        query: DirectoryQuery,
        detail: {
          operationId: "vcs.diff.raw",
          summary: "Get raw VCS diff",
          description: "One patch of every uncommitted change, untracked files included; empty outside git.",
          responses: { 200: { description: "Raw VCS diff", content: { "text/x-diff; charset=utf-8": { schema: { type: "string" } } } } },
        },
      },
    )
    .post("/vcs/apply", ({ instance, body }) => vcsApply(instance, body.patch), {
      query: DirectoryQuery,
      body: t.Object({ patch: t.String() }),
      response: { 200: t.Object({ applied: t.Boolean() }) },
      detail: {
        operationId: "vcs.apply",
        summary: "Apply VCS patch",
        description: 'Applies a patch to the working tree with `git apply`. 400 `VcsApplyError` with reason "non-git" outside git, "not-clean" when it does not apply.',
      },
    })
}
