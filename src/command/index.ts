import type { Instance } from "../project/instance"
import { getConfig, type Config } from "../config/config"
import type { Command } from "./schema"
import initTemplate from "./init.txt" with { type: "text" }
import reviewTemplate from "./review.txt" with { type: "text" }

export type { Command } from "./schema"

const BUILTIN: Command[] = [
  {
    name: "init",
    description: "create or update AGENTS.md for this project",
    template: initTemplate.trim(),
    hints: hints(initTemplate),
  },
  // As in opencode 1.18: a subtask, so the review's reading and diffing stay in a child session.
  {
    name: "review",
    description: "review changes [commit|branch|pr], defaults to uncommitted",
    template: reviewTemplate.trim(),
    subtask: true,
    hints: hints(reviewTemplate),
  },
]

/** Built-in commands, then config `command` entries (which include `.opencode/command/*.md`). */
export async function listCommands(instance: Instance): Promise<Command[]> {
  return resolveCommands(await getConfig(instance))
}

export async function getCommand(instance: Instance, name: string): Promise<Command | undefined> {
  return (await listCommands(instance)).find((c) => c.name === name)
}

export function resolveCommands(cfg: Config): Command[] {
  const byName = new Map(BUILTIN.map((c) => [c.name, c]))
  for (const [name, entry] of Object.entries(cfg.command ?? {})) {
    if (!entry || typeof entry.template !== "string") continue
    byName.set(name, {
      name,
      template: entry.template,
      ...(entry.description !== undefined ? { description: entry.description } : {}),
      ...(entry.agent !== undefined ? { agent: entry.agent } : {}),
      ...(entry.model !== undefined ? { model: entry.model } : {}),
      ...(entry.subtask !== undefined ? { subtask: entry.subtask } : {}),
      hints: hints(entry.template),
    })
  }
  return [...byName.values()]
}

function hints(template: string): string[] {
  const numbered = [...new Set([...template.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])).filter((n) => n > 0))]
  const out = numbered.sort((a, b) => a - b).map((n) => `$${n}`)
  if (template.includes("$ARGUMENTS")) out.push("$ARGUMENTS")
  return out
}
