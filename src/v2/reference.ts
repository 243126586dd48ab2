import path from "node:path"
import { t, type Static } from "../util/schema"
import { Paths } from "../global/paths"
import { parseSource } from "../config/parse"
import { listSources } from "../config/sources"
import type { Instance } from "../project/instance"
import { ensureClone } from "./reference-clone"
import { clonePath, parseRepository, validBranch } from "./repository"

// References: directories and git repositories named in config (`references`, or the older
// `reference`) that clients offer as "@name" attachments. A relative local path is relative
// to the config file naming it; a git reference lives in a clone under our data directory.

const Common = { description: t.Optional(t.String()), hidden: t.Optional(t.Boolean({ description: "Not offered in completion" })) }
export const ReferenceLocalSource = t.Object({ type: t.Literal("local"), path: t.String(), ...Common }, { $id: "ReferenceLocalSource" })
export const ReferenceGitSource = t.Object(
  { type: t.Literal("git"), repository: t.String(), branch: t.Optional(t.String()), ...Common },
  { $id: "ReferenceGitSource" },
)
export const ReferenceSource = t.Union([ReferenceLocalSource, ReferenceGitSource], { $id: "ReferenceSource" })
type ReferenceSource = Static<typeof ReferenceSource>

export const ReferenceInfo = t.Object(
  { name: t.String(), path: t.String({ description: "Absolute directory the reference resolves to" }), ...Common, source: ReferenceSource },
  { $id: "ReferenceInfo" },
)
export type ReferenceInfo = Static<typeof ReferenceInfo>

/** The location's references, in the order config first names them; a later file's entry wins. */
export function listReferences(instance: Instance): ReferenceInfo[] {
  const sources = new Map<string, ReferenceSource>()
  for (const doc of configDocuments(instance)) {
    for (const [name, entry] of Object.entries(doc.references)) {
      const source = validName(name) ? toSource(entry, doc.dir) : undefined
      if (source) sources.set(name, source)
    }
  }
  const out: ReferenceInfo[] = []
  for (const [name, source] of sources) {
    const resolved = source.type === "local" ? source.path : gitPath(source)
    if (!resolved) continue
    const { description, hidden } = source
    out.push({ name, path: resolved, ...(description !== undefined ? { description } : {}), ...(hidden !== undefined ? { hidden } : {}), source })
  }
  return out
}

/** The clone directory of a git reference (cloned in the background when missing); undefined when invalid. */
function gitPath(source: Static<typeof ReferenceGitSource>): string | undefined {
  const repo = parseRepository(source.repository)
  if (!repo || (source.branch !== undefined && !validBranch(source.branch))) return undefined
  const dir = clonePath(path.join(Paths.data, "repos"), repo, source.branch)
  void ensureClone(repo, dir, source.branch)
  return dir
}

// Each config file on its own, lowest precedence first, with the directory its paths are relative to.
function configDocuments(instance: Instance): Array<{ dir: string; references: Record<string, unknown> }> {
  const out: Array<{ dir: string; references: Record<string, unknown> }> = []
  for (const source of listSources(instance.directory, instance.worktree)) {
    if (source.kind === "markdown") continue
    const value = parseSource(source).value
    const refs = value.references ?? value.reference
    if (!refs || typeof refs !== "object" || Array.isArray(refs)) continue
    out.push({ dir: source.kind === "json" ? path.dirname(source.file) : instance.directory, references: refs })
  }
  return out
}

function validName(name: string) {
  return name.length > 0 && !/[/\s`,]/.test(name)
}

function toSource(entry: unknown, dir: string): ReferenceSource | undefined {
  if (typeof entry === "string") {
    if (!entry) return undefined
    return isLocal(entry) ? { type: "local", path: localPath(dir, entry) } : { type: "git", repository: entry }
  }
  if (!entry || typeof entry !== "object") return undefined
  const e = entry as Record<string, unknown>
  const extra = {
    ...(typeof e.description === "string" ? { description: e.description } : {}),
    ...(typeof e.hidden === "boolean" ? { hidden: e.hidden } : {}),
  }
  if (typeof e.path === "string") return { type: "local", path: localPath(dir, e.path), ...extra }
  if (typeof e.repository === "string")
    return { type: "git", repository: e.repository, ...(typeof e.branch === "string" ? { branch: e.branch } : {}), ...extra }
  return undefined
}

const isLocal = (s: string) => s.startsWith(".") || s.startsWith("/") || s.startsWith("~")

function localPath(dir: string, value: string) {
  if (value.startsWith("~/")) return path.join(Paths.home, value.slice(2))
  return path.isAbsolute(value) ? value : path.resolve(dir, value)
}
