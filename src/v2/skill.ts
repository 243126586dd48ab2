import { t, type Static } from "../util/schema"
import { listSkills } from "../skill/skill"

export const SkillV2Info = t.Object(
  {
    name: t.String(),
    description: t.Optional(t.String()),
    slash: t.Optional(t.Boolean({ description: "Also offered as a slash command" })),
    location: t.String({ description: "Where the skill was found (its SKILL.md)" }),
    content: t.String(),
  },
  { $id: "SkillV2Info" },
)
export type SkillV2Info = Static<typeof SkillV2Info>

/** The skills offered to the model (see listSkills: none, this server has no skill tool). */
export function listSkillsV2(): SkillV2Info[] {
  return listSkills().map((s) => ({
    name: s.name,
    ...(s.description !== undefined ? { description: s.description } : {}),
    location: s.location,
    content: s.content,
  }))
}
