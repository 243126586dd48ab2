import path from "node:path"
import { findFile, hasDependency, read, which, type Scope } from "./detect"

/**
 * A formatter we can run on one file. `detect` answers the command to run (with `$FILE`
 * where the path goes) when the formatter is installed and the project opts into it.
 */
export type Formatter = {
  name: string
  extensions: string[]
  detect(scope: Scope): string[] | undefined
  environment?: Record<string, string>
}

const WEB = [".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".json", ".jsonc"]
const PRETTIER_CONFIGS = [
  ".prettierrc",
  ".prettierrc.json",
  ".prettierrc.json5",
  ".prettierrc.yaml",
  ".prettierrc.yml",
  ".prettierrc.toml",
  ".prettierrc.js",
  ".prettierrc.cjs",
  ".prettierrc.mjs",
  "prettier.config.js",
  "prettier.config.cjs",
  "prettier.config.mjs",
  "prettier.config.ts",
]

/** Installed and asked for by the project: the binary exists and `optIn` holds. */
function when(program: string, args: string[], optIn: (scope: Scope) => boolean = () => true) {
  return (scope: Scope) => {
    if (!optIn(scope)) return
    const bin = which(scope, program)
    return bin ? [bin, ...args] : undefined
  }
}

export const BUILTIN: Formatter[] = [
  {
    name: "prettier",
    extensions: [...WEB, ".css", ".scss", ".less", ".html", ".vue", ".md", ".mdx", ".yaml", ".yml", ".graphql", ".gql"],
    detect: when("prettier", ["--write", "$FILE"], (s) => hasDependency(s, "prettier") || !!findFile(s, PRETTIER_CONFIGS)),
  },
  {
    name: "biome",
    extensions: [...WEB, ".css", ".graphql"],
    detect: when("biome", ["format", "--write", "$FILE"], (s) => !!findFile(s, ["biome.json", "biome.jsonc"])),
  },
  { name: "gofmt", extensions: [".go"], detect: when("gofmt", ["-w", "$FILE"]) },
  {
    name: "rustfmt",
    extensions: [".rs"],
    // Run on a single file rustfmt doesn't read Cargo.toml, so pass the crate's edition.
    detect: (s) => {
      const edition = read(findFile(s, ["Cargo.toml"])).match(/^\s*edition\s*=\s*"(\d{4})"/m)?.[1]
      return when("rustfmt", [...(edition ? ["--edition", edition] : []), "$FILE"])(s)
    },
  },
  {
    name: "ruff",
    extensions: [".py", ".pyi"],
    detect: when("ruff", ["format", "$FILE"], (s) => !!findFile(s, ["ruff.toml", ".ruff.toml"]) || /^\[tool\.ruff/m.test(pyproject(s))),
  },
  {
    name: "black",
    extensions: [".py", ".pyi"],
    detect: when("black", ["--quiet", "$FILE"], (s) => /^\[tool\.black\]/m.test(pyproject(s))),
  },
  {
    name: "clang-format",
    extensions: [".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".m", ".mm", ".proto"],
    detect: when("clang-format", ["-i", "$FILE"], (s) => !!findFile(s, [".clang-format", "_clang-format"])),
  },
  { name: "zig", extensions: [".zig", ".zon"], detect: when("zig", ["fmt", "$FILE"]) },
  { name: "shfmt", extensions: [".sh", ".bash"], detect: when("shfmt", ["-w", "$FILE"]) },
  { name: "mix", extensions: [".ex", ".exs", ".eex", ".heex"], detect: when("mix", ["format", "$FILE"], (s) => !!findFile(s, ["mix.exs"])) },
  { name: "dart", extensions: [".dart"], detect: when("dart", ["format", "$FILE"]) },
  { name: "terraform", extensions: [".tf", ".tfvars"], detect: when("terraform", ["fmt", "$FILE"]) },
  { name: "ktlint", extensions: [".kt", ".kts"], detect: when("ktlint", ["-F", "$FILE"]) },
  {
    name: "rubocop",
    extensions: [".rb", ".rake", ".gemspec"],
    detect: when("rubocop", ["--autocorrect", "--format", "quiet", "$FILE"], (s) => !!findFile(s, [".rubocop.yml"])),
  },
  { name: "nixfmt", extensions: [".nix"], detect: when("nixfmt", ["$FILE"]) },
]

function pyproject(s: Scope) {
  return read(findFile(s, ["pyproject.toml"]))
}

export type FormatterConfig = {
  disabled?: boolean
  command?: string[]
  environment?: Record<string, string>
  extensions?: string[]
}

/**
 * Built-ins merged with config `formatter`: `false` turns all off; an entry disables one,
 * or gives a command (then it runs without detection) and extensions for a new formatter.
 */
export function resolveFormatters(config: unknown): Array<Formatter & { disabled?: boolean }> {
  if (config === false) return BUILTIN.map((f) => ({ ...f, disabled: true }))
  const entries = (config && typeof config === "object" ? config : {}) as Record<string, FormatterConfig>
  const out: Array<Formatter & { disabled?: boolean }> = BUILTIN.map((f) => {
    const c = entries[f.name]
    if (!c) return f
    return {
      ...f,
      disabled: c.disabled,
      extensions: c.extensions?.length ? c.extensions : f.extensions,
      environment: c.environment,
      detect: c.command?.length ? configured(c.command) : f.detect,
    }
  })
  for (const [name, c] of Object.entries(entries)) {
    if (BUILTIN.some((f) => f.name === name) || !c?.command?.length || !c.extensions?.length) continue
    out.push({ name, extensions: c.extensions, environment: c.environment, disabled: c.disabled, detect: configured(c.command) })
  }
  return out
}

function configured(command: string[]) {
  return (scope: Scope) => {
    const program = command[0]!
    const bin = which(scope, program.includes("/") ? path.resolve(scope.directory, program) : program)
    return bin ? [bin, ...command.slice(1)] : undefined
  }
}
