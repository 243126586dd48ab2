import { Elysia, t } from "elysia"
import os from "node:os"
import { instanceScope, DirectoryQuery } from "../directory"
import * as Projects from "../../project/project"
import { Project, Path, VcsInfo, ProjectIcon, ProjectCommands } from "../../project/schema"
import { initGit, updateProject } from "../../project/update"
import { Paths } from "../../global/paths"
import { currentBranch, disposeInstance } from "../../project/instance"
import { projectDirectories, ProjectDirectory } from "../../project/directories"

// 1.18's v2-style error, with the { name, data } every v1 route answers beside it.
const ProjectNotFound = t.Object({
  _tag: t.Literal("ProjectNotFoundError"),
  projectID: t.String(),
  message: t.String(),
  name: t.Literal("NotFoundError"),
  data: t.Object({ message: t.String() }),
})
function notFound(projectID: string) {
  const message = `Project not found: ${projectID}`
  return { _tag: "ProjectNotFoundError" as const, projectID, message, name: "NotFoundError" as const, data: { message } }
}

export function projectRoutes() {
  return new Elysia({ tags: ["project"] })
    .use(instanceScope)
    .get("/project", () => Projects.list(), {
      query: DirectoryQuery,
      response: { 200: t.Array(Project) },
      detail: { operationId: "project.list", summary: "List all projects" },
    })
    .get("/project/current", ({ instance }) => instance.project, {
      query: DirectoryQuery,
      response: { 200: Project },
      detail: { operationId: "project.current", summary: "Get the current project" },
    })
    .post("/project/git/init", ({ instance }) => initGit(instance), {
      query: DirectoryQuery,
      response: { 200: Project },
      detail: {
        operationId: "project.initGit",
        summary: "Make the directory a git repository",
        description: "Runs `git init` in the directory (nothing happens inside a repository already) and answers its project, which is now its own.",
      },
    })
    .patch(
      "/project/:projectID",
      async ({ instance, params, body, status }) =>
        (await updateProject(instance.directory, params.projectID, body)) ??
        status(404, notFound(params.projectID)),
      {
        params: t.Object({ projectID: t.String() }),
        query: DirectoryQuery,
        body: t.Object({ name: t.Optional(t.String()), icon: t.Optional(ProjectIcon), commands: t.Optional(ProjectCommands) }),
        response: { 200: Project, 404: ProjectNotFound },
        detail: { operationId: "project.update", summary: "Update project", description: "Sets the project's name, icon and the start command new worktrees run." },
      },
    )
    .get("/project/:projectID/directories", ({ params, instance }) => projectDirectories(params.projectID, instance.directory), {
      params: t.Object({ projectID: t.String() }),
      query: DirectoryQuery,
      response: { 200: t.Array(ProjectDirectory) },
      detail: {
        operationId: "project.directories",
        summary: "List project directories",
        description: "Local directories the project lives in: a git project's main checkout and linked worktrees; for directories outside git, those with sessions. 404 for an unknown project.",
      },
    })
    .get(
      "/path",
      ({ instance }) => ({ home: os.homedir(), state: Paths.state, config: Paths.config, worktree: instance.worktree, directory: instance.directory }),
      { query: DirectoryQuery, response: { 200: Path }, detail: { operationId: "path.get", summary: "Get the current paths" } },
    )
    .get("/vcs", async ({ instance }) => ({ branch: (await currentBranch(instance)) ?? "" }), {
      query: DirectoryQuery,
      response: { 200: VcsInfo },
      detail: { operationId: "vcs.get", summary: "Get VCS info", description: "The current git branch; empty outside a repository." },
    })
    .post("/instance/dispose", ({ instance }) => disposeInstance(instance.directory), {
      query: DirectoryQuery,
      response: { 200: t.Boolean() },
      detail: {
        operationId: "instance.dispose",
        summary: "Dispose the current instance",
        description: "Stops everything the server runs for this directory (language servers, MCP clients, watchers); it starts again on the next request.",
      },
    })
}
