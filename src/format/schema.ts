import { t, type Static } from "../util/schema"

export const FormatterStatus = t.Object(
  { name: t.String(), extensions: t.Array(t.String()), enabled: t.Boolean() },
  { $id: "FormatterStatus" },
)
export type FormatterStatus = Static<typeof FormatterStatus>
