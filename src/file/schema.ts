import { t, type Static } from "../util/schema"

export const FileNode = t.Object(
  {
    name: t.String(),
    path: t.String({ description: "Relative to the project directory" }),
    absolute: t.String(),
    type: t.Union([t.Literal("file"), t.Literal("directory")]),
    ignored: t.Boolean({ description: "Matched by .gitignore / .ignore rules" }),
  },
  { $id: "FileNode" },
)
export type FileNode = Static<typeof FileNode>

const Hunk = t.Object({
  oldStart: t.Integer({ minimum: 0 }),
  oldLines: t.Integer({ minimum: 0 }),
  newStart: t.Integer({ minimum: 0 }),
  newLines: t.Integer({ minimum: 0 }),
  lines: t.Array(t.String()),
})

export const FileContent = t.Object(
  {
    type: t.Union([t.Literal("text"), t.Literal("binary")]),
    content: t.String({ description: "UTF-8 text, or base64 when `encoding` is base64" }),
    diff: t.Optional(t.String({ description: "Unified diff against git HEAD for a modified tracked file" })),
    patch: t.Optional(
      t.Object({
        oldFileName: t.String(),
        newFileName: t.String(),
        oldHeader: t.Optional(t.String()),
        newHeader: t.Optional(t.String()),
        hunks: t.Array(Hunk),
        index: t.Optional(t.String()),
      }),
    ),
    encoding: t.Optional(t.Literal("base64")),
    mimeType: t.Optional(t.String()),
  },
  { $id: "FileContent" },
)
export type FileContent = Static<typeof FileContent>

export const FileStatus = t.Object(
  {
    path: t.String(),
    added: t.Integer({ minimum: 0 }),
    removed: t.Integer({ minimum: 0 }),
    status: t.Union([t.Literal("added"), t.Literal("deleted"), t.Literal("modified")]),
  },
  { $id: "File" },
)
export type FileStatus = Static<typeof FileStatus>

const Text = t.Object({ text: t.String() })

/** One matching line, shaped like a `match` record of `rg --json`. Offsets are in bytes. */
export const TextMatch = t.Object({
  path: Text,
  lines: Text,
  line_number: t.Integer({ minimum: 0 }),
  absolute_offset: t.Integer({ minimum: 0 }),
  submatches: t.Array(t.Object({ match: Text, start: t.Integer({ minimum: 0 }), end: t.Integer({ minimum: 0 }) })),
})
export type TextMatch = Static<typeof TextMatch>
