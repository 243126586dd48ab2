import { t, type Static } from "../util/schema"

export const Skill = t.Object(
  { name: t.String(), description: t.Optional(t.String()), location: t.String(), content: t.String() },
  { $id: "Skill" },
)
export type Skill = Static<typeof Skill>

/**
 * Skills (SKILL.md folders opencode offers the model through its `skill` tool). This server's
 * agent has no skill tool, so listing SKILL.md files would advertise something the model can
 * never load: none are offered.
 */
export function listSkills(): Skill[] {
  return []
}
