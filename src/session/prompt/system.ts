import fs from "node:fs"
import path from "node:path"
import os from "node:os"
import type { Instance } from "../../project/instance"
import { getConfig } from "../../config/config"
import { Paths } from "../../global/paths"
import { createLog } from "../../util/log"
import base from "./text/system.txt" with { type: "text" }

const log = createLog("session.system")

const INSTRUCTION_FILES = ["AGENTS.md", "CLAUDE.md"]

/**
 * The system prompt of one reply, in order: the agent's instructions (ours by default), the
 * environment, instruction files from the project and the user's config dir, config
 * `instructions`, and the prompt's own `system` text.
 */
export async function systemPrompt(instance: Instance, input: { agentPrompt?: string; system?: string; model: string }): Promise<string[]> {
  const out = [input.agentPrompt?.trim() || base.trim(), environment(instance, input.model)]
  for (const file of await instructionFiles(instance)) {
    const text = read(file)
    if (text?.trim()) out.push(`Instructions from ${file}:\n${text.trim()}`)
  }
  if (input.system?.trim()) out.push(input.system.trim())
  return out
}

function environment(instance: Instance, model: string) {
  const git = instance.project.vcs === "git"
  return [
    "Facts about the environment you are working in:",
    "<env>",
    `Working directory: ${instance.directory}`,
    `Project root: ${instance.worktree}`,
    `Is the directory a git repository: ${git ? "yes" : "no"}`,
    `Platform: ${process.platform}`,
    `Today's date: ${new Date().toDateString()}`,
    `Model: ${model}`,
    "</env>",
  ].join("\n")
}

/** Project files nearest-first up to the worktree (the first name found wins), then global, then config. */
export async function instructionFiles(instance: Instance): Promise<string[]> {
  const found: string[] = []
  for (const name of INSTRUCTION_FILES) {
    const hits = findUp(name, instance.directory, instance.worktree)
    if (hits.length) {
      found.push(...hits)
      break
    }
  }
  const global = path.join(Paths.config, "AGENTS.md")
  if (isFile(global)) found.push(global)
  const config = await getConfig(instance)
  for (const entry of config.instructions ?? []) found.push(...configInstruction(instance, entry))
  return [...new Set(found)]
}

function findUp(name: string, from: string, stop: string): string[] {
  const out: string[] = []
  let dir = from
  while (true) {
    const p = path.join(dir, name)
    if (isFile(p)) out.push(p)
    if (dir === stop || path.dirname(dir) === dir) break
    dir = path.dirname(dir)
  }
  return out
}

/** A path or glob, relative to the project directory (or ~/ or absolute). URLs are not fetched. */
function configInstruction(instance: Instance, entry: string): string[] {
  if (typeof entry !== "string" || !entry) return []
  if (/^https?:\/\//.test(entry)) {
    log.warn("instructions URL skipped: this server fetches nothing at run time", { url: entry })
    return []
  }
  const expanded = entry.startsWith("~/") ? path.join(os.homedir(), entry.slice(2)) : entry
  if (!/[*?[{]/.test(expanded)) {
    const p = path.resolve(instance.directory, expanded)
    return isFile(p) ? [p] : []
  }
  const cwd = path.isAbsolute(expanded) ? "/" : instance.worktree
  const pattern = path.isAbsolute(expanded) ? expanded.slice(1) : expanded
  try {
    return [...new Bun.Glob(pattern).scanSync({ cwd, absolute: true, onlyFiles: true })].sort()
  } catch (e) {
    log.warn("instructions glob failed", { entry, error: e })
    return []
  }
}

function isFile(p: string) {
  try {
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

function read(p: string) {
  try {
    return fs.readFileSync(p, "utf8")
  } catch {
    return undefined
  }
}
