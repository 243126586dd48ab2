import fs from "node:fs"
import path from "node:path"
import { applyEdits, modify, type FormattingOptions } from "jsonc-parser"
import type { Instance } from "../project/instance"
import { reloadConfig, type Config } from "./config"
import { ConfigInvalidError } from "./error"
import { parseConfigText, parseJsonText } from "./parse"
import { validateConfig } from "./validate"
import { BadRequestError } from "../util/error"
import { REDACTED } from "./secrets"

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

  const mode = exists ? fs.statSync(file).mode & 0o777 : /"apiKey"\s*:/.test(text) ? 0o600 : 0o644
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  fs.writeFileSync(tmp, text, { mode })
  fs.renameSync(tmp, file)
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
