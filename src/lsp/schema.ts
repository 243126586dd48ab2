import { t, type Static } from "../util/schema"

import { Range } from "../session/schema"

// One `Range` component in /doc: the session schema's (file part sources) is the same shape.
export { Range }
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
