import { Elysia, t } from "elysia"
import { instanceScope, scopedQuery, DirectoryQuery } from "../directory"
import * as Files from "../../file"
import { FileNode, FileContent, FileStatus, TextMatch } from "../../file/schema"
import { Symbol } from "../../lsp/schema"
import { workspaceSymbols } from "../../lsp"

export function fileRoutes() {
  return new Elysia({ tags: ["file"] })
    .use(instanceScope)
    .get("/find", ({ instance, query }) => Files.findText(instance, query.pattern), {
      query: scopedQuery({ pattern: t.String({ description: "Regular expression (ripgrep syntax)" }) }),
      response: { 200: t.Array(TextMatch) },
      detail: {
        operationId: "find.text",
        summary: "Find text",
        description:
          "Search file contents with ripgrep (built into the server): .gitignore respected, hidden files included, at most 10 matching lines per file and 1000 in all. An invalid pattern is a 400 with the regex engine's reason.",
      },
    })
    .get(
      "/find/file",
      ({ instance, query }) =>
        Files.findFiles(instance, { query: query.query, limit: query.limit, type: query.type, dirs: query.dirs !== "false" }),
      {
        query: scopedQuery({
          query: t.String({ description: "Fuzzy search text" }),
          dirs: t.Optional(t.Union([t.Literal("true"), t.Literal("false")], { description: 'Legacy: "false" returns files only' })),
          type: t.Optional(t.Union([t.Literal("file"), t.Literal("directory")])),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: 200, description: "Maximum results (default 10)" })),
        }),
        response: { 200: t.Array(t.String()) },
        detail: {
          operationId: "find.files",
          summary: "Find files",
          description: 'Fuzzy-find files and directories by path. Directories end with "/".',
        },
      },
    )
    .get("/find/symbol", ({ instance, query }) => workspaceSymbols(instance, query.query), {
      query: scopedQuery({ query: t.String() }),
      response: { 200: t.Array(Symbol) },
      detail: {
        operationId: "find.symbols",
        summary: "Find symbols",
        description: "Workspace symbols from the running language servers; empty when none runs.",
      },
    })
    .get("/file", ({ instance, query }) => Files.listDirectory(instance, query.path), {
      query: scopedQuery({ path: t.String({ description: "Directory relative to the project directory" }) }),
      response: { 200: t.Array(FileNode) },
      detail: { operationId: "file.list", summary: "List files", description: "List one directory's files and directories. Paths outside the project are refused with 403." },
    })
    .get("/file/content", ({ instance, query }) => Files.readFile(instance, query.path), {
      query: scopedQuery({ path: t.String({ description: "File relative to the project directory" }) }),
      response: { 200: FileContent },
      detail: {
        operationId: "file.read",
        summary: "Read file",
        description: "Read a file: text, or base64 with its mime type; a modified tracked file also carries its diff against git HEAD. Paths outside the project are refused with 403.",
      },
    })
    .get("/file/status", ({ instance }) => Files.fileStatus(instance), {
      query: DirectoryQuery,
      response: { 200: t.Array(FileStatus) },
      detail: { operationId: "file.status", summary: "Get file status", description: "Files changed against git HEAD, untracked ones as added, with line counts." },
    })
}
