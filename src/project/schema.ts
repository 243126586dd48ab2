import { t, type Static } from "elysia"

export const Project = t.Object(
  {
    id: t.String(),
    worktree: t.String(),
    vcsDir: t.Optional(t.String()),
    vcs: t.Optional(t.Literal("git")),
    time: t.Object({ created: t.Number(), initialized: t.Optional(t.Number()) }),
  },
  { $id: "Project" },
)
export type Project = Static<typeof Project>

export const Path = t.Object(
  { home: t.String(), state: t.String(), config: t.String(), worktree: t.String(), directory: t.String() },
  { $id: "Path" },
)
export type Path = Static<typeof Path>

export const VcsInfo = t.Object({ branch: t.String() }, { $id: "VcsInfo" })
export type VcsInfo = Static<typeof VcsInfo>
