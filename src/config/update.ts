import fs from "node:fs"
import path from "node:path"
import { applyEdits, modify, type FormattingOptions } from "jsonc-parser"
import type { Instance } from "../project/instance"
import { getConfig, reloadConfig, type Config } from "./config"
import { ConfigInvalidError } from "./error"
import { parseConfigText, parseJsonText } from "./parse"
import { validateConfig } from "./validate"
import { BadRequestError } from "../util/error"
import { REDACTED, redactSecrets } from "./secrets"
import { unknownKeyPaths } from "./unknown-keys"

const locks = new Map<string, Promise<unknown>>()

/**
 * PATCH /config: deep-merges `patch` into the directory's own opencode.jsonc / opencode.json
 * (created as opencode.json when neither exists), editing the text in place so comments and
 * formatting elsewhere survive. Refuses, writing nothing, when the patch or the resulting file
 * is invalid. Applied at once: answers the new effective (merged) config.
 */
export async function updateConfig(instance: Instance, patch: Record<string, unknown>): Promise<Config> {
  // The route's schema lets arrays, strings and an empty body through; merged key by key they
  // wrote "0", "1"... into the user's config file.
  if (!isObject(patch)) throw new BadRequestError("The config patch must be a JSON object (the fields to change)", "Body")
  const bodyIssues = validateConfig(patch)
  if (bodyIssues.length) throw new ConfigInvalidError("in the request body", bodyIssues)
  patch = await withoutEchoedUnknowns(instance, patch)
  const unknown = unknownKeyPaths(patch)
  if (unknown.length) throw new ConfigInvalidError("in the request body", unknown.map((path) => ({ path, message: "is not a setting; nothing was written" })))
  const file = projectConfigFile(instance.directory)
  // One writer per file at a time: each PATCH must see the previous one's result.
  const prev = locks.get(file) ?? Promise.resolve()
  const run = prev.catch(() => {}).then(() => write(file, patch))
  locks.set(file, run)
  try {
    await run
  } finally {
    if (locks.get(file) === run) locks.delete(file)
  }
  return reloadConfig(instance)
}

/**
 * A client that reads GET /config, changes a field and sends everything back also sends the
 * unknown keys some config file holds (kept there for a newer opencode): unchanged, they are
 * nothing to write, and no reason to refuse the change.
 */
async function withoutEchoedUnknowns(instance: Instance, patch: Record<string, unknown>) {
  const unknown = unknownKeyPaths(patch)
  if (!unknown.length) return patch
  const current = await getConfig(instance)
  const views = [current, redactSecrets(current)]
  let out = patch
  for (const path of unknown) {
    const keys = path.split(".")
    // Only whole keys of nested objects are dropped, never part of a list.
    if (keys.slice(0, -1).some((_, i) => !isObject(valueAt(patch, keys.slice(0, i + 1))))) continue
    const sent = valueAt(patch, keys)
    if (views.some((v) => Bun.deepEquals(valueAt(v, keys), sent, true))) out = without(out, keys)
  }
  return out
}

function valueAt(value: unknown, keys: string[]): unknown {
  let v = value
  for (const k of keys) v = isObject(v) || Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined
  return v
}

function without(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const [k, ...rest] = keys
  const copy = { ...value }
  if (!rest.length || !isObject(copy[k])) delete copy[k]
  else copy[k] = without(copy[k] as Record<string, unknown>, rest)
  return copy
}

export function projectConfigFile(directory: string) {
  for (const name of ["opencode.jsonc", "opencode.json"]) {
    const f = path.join(directory, name)
    if (fs.existsSync(f)) return f
  }
  return path.join(directory, "opencode.json")
}

export function write(file: string, patch: Record<string, unknown>) {
  const exists = fs.existsSync(file)
  const before = exists ? fs.readFileSync(file, "utf8") : ""
  const parseIssues: ConfigInvalidError["issues"] = []
  const current = before.trim() ? parseJsonText(before, parseIssues) : {}
  // Rewriting a file we cannot parse would throw away what the user wrote.
  if (parseIssues.length) throw new ConfigInvalidError(file, parseIssues)

  const edits = leaves(current, patch, [])
  if (!edits.length) return
  let text = before.trim() ? before : "{}\n"
  const format = formatting(text)
  for (const [keyPath, value] of edits) {
    text = applyEdits(text, modify(text, keyPath, value, { formattingOptions: format }))
  }
  const result = parseConfigText(text, path.dirname(file))
  if (result.issues.length) throw new ConfigInvalidError(file, result.issues)
  if (text === before) return

  writeAtomically(file, text, exists)
}

/**
 * Readers (the config watcher, the TUI, an editor) see the old file or the new one, never a
 * half-written one: the text goes to a temporary file beside it, then replaces it in one
 * rename. A symlinked config is written through the link; the file keeps its mode.
 */
function writeAtomically(file: string, text: string, exists: boolean) {
  const target = exists ? fs.realpathSync(file) : file
  const mode = exists ? fs.statSync(target).mode & 0o777 : /"apiKey"\s*:/.test(text) ? 0o600 : 0o644
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`)
  try {
    const fd = fs.openSync(tmp, "wx", mode)
    try {
      fs.writeFileSync(fd, text)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    // The umask may have taken bits off the mode given to open.
    fs.chmodSync(tmp, mode)
    fs.renameSync(tmp, target)
  } catch (e) {
    fs.rmSync(tmp, { force: true })
    throw e
  }
}

/** Paths to set: objects merge into existing objects key by key; anything else replaces. */
function leaves(current: unknown, patch: Record<string, unknown>, at: string[]): Array<[string[], unknown]> {
  const out: Array<[string[], unknown]> = []
  for (const [k, v] of Object.entries(patch)) {
    // A secret GET /config masked, sent back as it was: keep the stored value.
    if (v === undefined || v === REDACTED) continue
    const here = isObject(current) ? current[k] : undefined
    if (isObject(v) && isObject(here) && Object.keys(v).length) out.push(...leaves(here, v, [...at, k]))
    else out.push([[...at, k], v])
  }
  return out
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v)
}

function formatting(text: string): FormattingOptions {
  const indent = /\n([ \t]+)"/.exec(text)?.[1]
  return {
    insertSpaces: !indent?.startsWith("\t"),
    tabSize: indent && !indent.startsWith("\t") ? indent.length : 2,
    eol: text.includes("\r\n") ? "\r\n" : "\n",
  }
}
