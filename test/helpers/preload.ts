// Every test process gets its own data, config and home directories: tests never read or
// write the developer's real opencode files, and never share a database with another run.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { afterAll } from "bun:test"
import { removeTempDirs } from "./tmp"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-test-"))
process.env.OPENCODE_BUN_DATA_DIR = path.join(root, "data")
process.env.OPENCODE_BUN_STATE_DIR = path.join(root, "state")
process.env.OPENCODE_BUN_CACHE_DIR = path.join(root, "cache")
process.env.XDG_CONFIG_HOME = path.join(root, "config")
process.env.OPENCODE_CONFIG_DIR = path.join(root, "config", "opencode")
process.env.OPENCODE_TEST_HOME = path.join(root, "home")
process.env.OPENCODE_LOG_LEVEL ??= "error"
// The model catalog stays the embedded snapshot unless a test points the refresh somewhere.
process.env.OPENCODE_DISABLE_MODELS_FETCH ??= "1"
// No real provider keys leak into tests from the developer's shell.
for (const k of Object.keys(process.env)) if (/_API_KEY$/.test(k)) delete process.env[k]
fs.mkdirSync(process.env.OPENCODE_TEST_HOME, { recursive: true })
// `npm test` puts this repository's node_modules/.bin on PATH, which would hand every temp
// project our dev tools (typescript-language-server, prettier) and make `npm test` behave
// unlike `bun test`. Tests that want those tools link them into their project explicitly.
process.env.PATH = (process.env.PATH ?? "")
  .split(path.delimiter)
  .filter((p) => !p.endsWith(path.join("node_modules", ".bin")))
  .join(path.delimiter)
process.env.OPENCODE_TEST_ROOT = root

// A global afterAll: `bun test` never emits the process's "exit" event, so cleanup has to be a
// test hook (it runs once, after the last test file).
afterAll(() => {
  removeTempDirs()
  try {
    fs.rmSync(root, { recursive: true, force: true })
  } catch {}
})
