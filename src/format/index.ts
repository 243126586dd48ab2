import path from "node:path"
import type { Instance } from "../project/instance"
import { contains } from "../project/paths"
import { getConfig } from "../config/config"
import { createLog } from "../util/log"
import { childEnv } from "../util/child-env"
import { resolveFormatters, type Formatter } from "./formatters"
import type { Scope } from "./detect"
import type { FormatterStatus } from "./schema"
import { numberSetting } from "../global/settings"

export type { FormatterStatus } from "./schema"

const log = createLog("format")
const TIMEOUT = numberSetting("OPENCODE_FORMAT_TIMEOUT", 10_000)

/** Runs every enabled formatter for the file's type; false when none ran successfully. */
export async function formatFile(instance: Instance, absPath: string): Promise<boolean> {
  const file = path.resolve(absPath)
  if (!contains(instance.worktree, file) && !contains(instance.directory, file)) return false
  const scope = scopeOf(instance)
  let formatted = false
  for (const f of await formatters(instance)) {
    if (!matches(f, file)) continue
    const command = f.detect(scope)
    if (!command) continue
    if (await run(f, command.map((a) => a.replaceAll("$FILE", file)), instance.directory)) formatted = true
  }
  return formatted
}

export async function status(instance: Instance): Promise<FormatterStatus[]> {
  const scope = scopeOf(instance)
  return (await formatters(instance)).map((f) => ({
    name: f.name,
    extensions: f.extensions,
    enabled: !f.disabled && !!f.detect(scope),
  }))
}

async function formatters(instance: Instance) {
  return resolveFormatters((await getConfig(instance)).formatter)
}

function scopeOf(instance: Instance): Scope {
  return { directory: instance.directory, worktree: instance.worktree }
}

function matches(f: Formatter & { disabled?: boolean }, file: string) {
  if (f.disabled) return false
  const ext = path.extname(file).toLowerCase()
  return f.extensions.some((e) => e.toLowerCase() === ext)
}

async function run(f: Formatter, command: string[], cwd: string): Promise<boolean> {
  try {
    const proc = Bun.spawn(command, {
      cwd,
      env: childEnv(f.environment),
      stdout: "ignore",
      stderr: "pipe",
      timeout: TIMEOUT,
    })
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()])
    if (code === 0) return true
    log.warn("formatter failed", { formatter: f.name, code, signal: proc.signalCode, stderr: stderr.slice(-1_000) })
  } catch (e) {
    log.warn("formatter could not run", { formatter: f.name, error: e })
  }
  return false
}
