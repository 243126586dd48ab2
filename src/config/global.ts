import fs from "node:fs"
import path from "node:path"
import { Paths } from "../global/paths"
import { BadRequestError } from "../util/error"
import { ConfigInvalidError } from "./error"
import { mergeConfig } from "./load"
import { parseSource } from "./parse"
import { redactSecrets } from "./secrets"
import type { Config } from "./config"
import { write } from "./update"
import { validateConfig } from "./validate"

// GET|PATCH /global/config: the user's own config files (~/.config/opencode), without any
// project's. Every directory's config is re-read when its sources change, so a PATCH here
// reaches every project on its next request.

const FILES = ["config.json", "opencode.json", "opencode.jsonc"]

export function globalConfig(): Config {
  let config: Record<string, any> = {}
  for (const name of FILES) {
    const file = path.join(Paths.config, name)
    if (!fs.existsSync(file)) continue
    const parsed = parseSource({ kind: "json", file })
    if (parsed.issues.length) throw new ConfigInvalidError(file, parsed.issues)
    config = mergeConfig(config, parsed.value)
  }
  return redactSecrets(config as Config)
}

let queue: Promise<unknown> = Promise.resolve()

export async function updateGlobalConfig(patch: unknown): Promise<Config> {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) throw new BadRequestError("The config patch must be a JSON object (the fields to change)", "Body")
  const issues = validateConfig(patch)
  if (issues.length) throw new ConfigInvalidError("in the request body", issues)
  // The file read last wins when several exist, so edits go there.
  const file = [...FILES].reverse().map((n) => path.join(Paths.config, n)).find((f) => fs.existsSync(f)) ?? path.join(Paths.config, "opencode.json")
  const run = queue.catch(() => {}).then(() => {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    write(file, patch as Record<string, unknown>)
  })
  queue = run
  await run
  return globalConfig()
}
