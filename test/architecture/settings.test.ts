import { afterEach, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { SETTINGS, flagSetting, numberSetting, setting, type SettingName } from "../../src/global/settings"

// Every environment variable the server reads for itself is read in src/global/settings.ts and
// listed in the README's table: one place to look for an operator and for whoever adds a knob.

const root = path.join(import.meta.dir, "..", "..")
const src = path.join(root, "src")
const SETTINGS_FILE = "global/settings.ts"

// Files that read variables named by someone else (a provider's API key named by the catalog,
// `{env:NAME}` in a config): the names are data, not settings of ours.
const DYNAMIC_READERS = ["provider/registry.ts", "config/substitute.ts", "v2/integration.ts"]

function sources(): string[] {
  return [...new Bun.Glob("**/*.{ts,tsx}").scanSync(src)].map((f) => f.split(path.sep).join("/"))
}

/** Each place `code` reads one of our variables itself, or the environment by a computed name. */
function envReads(code: string, file: string): string[] {
  const found: string[] = []
  const own = /(?:\b(?:process|Bun)\.env\s*(?:\.\s*|\[\s*["'`])|[\w)\]]\.)((?:OPENCODE|XDG|GITLAB)_[A-Z0-9_]*)(?!\w)(\s*=(?!=))?/g
  for (const m of code.matchAll(own)) {
    // The CLI may set one for the server it runs (`--log-level` sets OPENCODE_LOG_LEVEL).
    if (file.startsWith("cli/") && m[2]) continue
    found.push(m[1]!)
  }
  if (!DYNAMIC_READERS.includes(file)) for (const m of code.matchAll(/\b(?:process|Bun)\.env\s*\[\s*(?!["'`])([^\]]+)\]/g)) found.push(`[${m[1]}]`)
  return found
}

test("only src/global/settings.ts reads our environment variables", () => {
  const offenders: string[] = []
  for (const f of sources()) {
    if (f === SETTINGS_FILE) continue
    for (const name of envReads(fs.readFileSync(path.join(src, f), "utf8"), f)) offenders.push(`${f}: ${name}`)
  }
  expect(offenders).toEqual([])
})

test("the scan catches every way of reading one", () => {
  const code = [
    "const a = process.env.OPENCODE_FOO",
    "const b = process.env['OPENCODE_BAR']",
    "const c = env.OPENCODE_BAZ",
    "const d = Bun.env.XDG_DATA_HOME",
    "const e = process.env[name]",
    "process.env.OPENCODE_SET = 'x'",
  ].join("\n")
  expect(envReads(code, "x/y.ts")).toEqual(["OPENCODE_FOO", "OPENCODE_BAR", "OPENCODE_BAZ", "XDG_DATA_HOME", "OPENCODE_SET", "[name]"])
  expect(envReads(code, "cli/args.ts")).toEqual(["OPENCODE_FOO", "OPENCODE_BAR", "OPENCODE_BAZ", "XDG_DATA_HOME", "[name]"])
  expect(envReads("if (process.env.OPENCODE_X === 'y') {}", "cli/a.ts")).toEqual(["OPENCODE_X"])
  expect(envReads("// set OPENCODE_BUN_DATA_DIR to move it\nconst p = process.env.PATH", "x/y.ts")).toEqual([])
})

/** The README row for one setting: the table is checked row by row against the module. */
function row(name: SettingName): string {
  const s = SETTINGS[name]
  return `| \`${name}\` | ${s.default} | ${s.doc} |`
}

test("the README's table lists every setting, exactly as the module describes it", () => {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
  const start = readme.indexOf("### Environment variables")
  expect(start).toBeGreaterThan(-1)
  const section = readme.slice(start, readme.indexOf("\n#", start + 1))
  const rows = section.split("\n").filter((l) => l.startsWith("| `"))
  const names = Object.keys(SETTINGS) as SettingName[]
  expect(rows).toEqual(names.map(row))
})

test("every setting listed is read somewhere", () => {
  const code = sources()
    .filter((f) => f !== SETTINGS_FILE)
    .map((f) => fs.readFileSync(path.join(src, f), "utf8"))
    .join("\n")
  const unused = Object.keys(SETTINGS).filter((name) => !code.includes(`"${name}"`))
  expect(unused).toEqual([])
})

const saved = { ...process.env }
afterEach(() => {
  for (const k of Object.keys(SETTINGS)) if (saved[k] === undefined) delete process.env[k]
  else process.env[k] = saved[k]
})

test("values are read when used, with the fallback for anything unusable", () => {
  process.env.OPENCODE_FORMAT_TIMEOUT = "250"
  expect(numberSetting("OPENCODE_FORMAT_TIMEOUT", 10_000)).toBe(250)
  for (const bad of ["", "soon", "-5"]) {
    process.env.OPENCODE_FORMAT_TIMEOUT = bad
    expect(numberSetting("OPENCODE_FORMAT_TIMEOUT", 10_000)).toBe(10_000)
  }
  process.env.OPENCODE_FORMAT_TIMEOUT = "0"
  expect(numberSetting("OPENCODE_FORMAT_TIMEOUT", 10_000)).toBe(0)
  expect(numberSetting("OPENCODE_FORMAT_TIMEOUT", 10_000, Number.MIN_VALUE)).toBe(10_000)
  for (const [v, on] of [["1", true], ["yes", true], ["0", false], ["false", false], ["", false]] as const) {
    process.env.OPENCODE_EXPERIMENTAL_DISABLE_FILEWATCHER = v
    expect(flagSetting("OPENCODE_EXPERIMENTAL_DISABLE_FILEWATCHER")).toBe(on)
  }
  expect(setting("OPENCODE_SERVER_PASSWORD", { OPENCODE_SERVER_PASSWORD: "pw" })).toBe("pw")
})
