import { t, type Static } from "../util/schema"

export const ProjectIcon = t.Object(
  { url: t.Optional(t.String()), override: t.Optional(t.String()), color: t.Optional(t.String()) },
  { $id: "ProjectIcon" },
)
export const ProjectCommands = t.Object(
  { start: t.Optional(t.String({ description: "Startup script to run when creating a new workspace (worktree)" })) },
  { $id: "ProjectCommands" },
)

export const Project = t.Object(
  {
    id: t.String(),
    worktree: t.String(),
    vcsDir: t.Optional(t.String()),
    vcs: t.Optional(t.Literal("git")),
    // Set by PATCH /project/:id (opencode 1.18's web and desktop apps).
    name: t.Optional(t.String()),
    icon: t.Optional(ProjectIcon),
    commands: t.Optional(ProjectCommands),
    time: t.Object({ created: t.Number(), updated: t.Optional(t.Number()), initialized: t.Optional(t.Number()) }),
    /** Worktrees made with POST /experimental/worktree. */
    sandboxes: t.Optional(t.Array(t.String())),
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
