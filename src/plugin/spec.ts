import path from "node:path"
import { fileURLToPath } from "node:url"

/** One `plugin` config entry, resolved to where its code comes from. */
export type PluginSpec =
  | { kind: "npm"; name: string; version: string; options: Record<string, unknown>; label: string }
  | { kind: "file"; file: string; options: Record<string, unknown>; label: string }

export class PluginSpecError extends Error {}

/**
 * Reads an entry as opencode does: "name", "name@version", "@scope/name@version",
 * "file:///abs/path.ts" or a path, optionally as a `[entry, options]` pair. A relative path
 * is taken from the project directory.
 */
export function parseSpec(entry: unknown, directory: string): PluginSpec {
  let raw = entry
  let options: Record<string, unknown> = {}
  if (Array.isArray(entry)) {
    raw = entry[0]
    if (entry[1] !== undefined && (typeof entry[1] !== "object" || entry[1] === null || Array.isArray(entry[1])))
      throw new PluginSpecError(`plugin entry ${JSON.stringify(entry)}: the options (second item) must be an object`)
    options = (entry[1] as Record<string, unknown>) ?? {}
  }
  if (typeof raw !== "string" || !raw.trim()) throw new PluginSpecError(`plugin entry ${JSON.stringify(entry)}: expected a package name, a file: URL or a path`)
  const s = raw.trim()
  if (s.startsWith("file:")) return { kind: "file", file: fileURLToPath(s), options, label: s }
  if (s.startsWith(".") || path.isAbsolute(s)) return { kind: "file", file: path.resolve(directory, s), options, label: s }
  const at = s.lastIndexOf("@")
  const name = at > 0 ? s.slice(0, at) : s
  const version = at > 0 ? s.slice(at + 1) : "latest"
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name) || !version || /\s/.test(version))
    throw new PluginSpecError(`plugin entry "${s}" is not a valid npm package name (with an optional @version)`)
  return { kind: "npm", name, version, options, label: s }
}
