import { t, type Static } from "elysia"

export const Range = t.Object(
  {
    start: t.Object({ line: t.Integer({ minimum: 0 }), character: t.Integer({ minimum: 0 }) }),
    end: t.Object({ line: t.Integer({ minimum: 0 }), character: t.Integer({ minimum: 0 }) }),
  },
  { $id: "Range" },
)
export type Range = Static<typeof Range>

export const Symbol = t.Object(
  { name: t.String(), kind: t.Integer({ minimum: 0 }), location: t.Object({ uri: t.String(), range: Range }) },
  { $id: "Symbol" },
)
export type Symbol = Static<typeof Symbol>

export const LspStatus = t.Object(
  { id: t.String(), name: t.String(), root: t.String(), status: t.Union([t.Literal("connected"), t.Literal("error")]) },
  { $id: "LSPStatus" },
)
export type LspStatus = Static<typeof LspStatus>
