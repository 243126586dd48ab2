import path from "node:path"
import { cargoRoot, nearestRoot, ancestors } from "./root"

/** A language server we know how to start, built in or from config `lsp`. */
export type ServerSpec = {
  id: string
  extensions: string[]
  /** Command alternatives; the first whose program is found is used. */
  commands: string[][]
  root(file: string, stop: string): string | undefined
  env?: Record<string, string>
  initialization?: Record<string, unknown>
  /** Set when config named the command: a missing program is then worth reporting. */
  custom?: boolean
}

const TS_LOCKS = ["package-lock.json", "bun.lock", "bun.lockb", "pnpm-lock.yaml", "yarn.lock"]

export const BUILTIN: ServerSpec[] = [
  {
    id: "typescript",
    extensions: [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"],
    commands: [["typescript-language-server", "--stdio"]],
    root: (f, stop) => nearestRoot(f, stop, [TS_LOCKS, ["tsconfig.json", "jsconfig.json", "package.json"]]),
  },
  {
    id: "python",
    extensions: [".py", ".pyi"],
    commands: [["pyright-langserver", "--stdio"], ["basedpyright-langserver", "--stdio"], ["pylsp"]],
    root: (f, stop) =>
      nearestRoot(f, stop, [["pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "Pipfile", "pyrightconfig.json"]]),
  },
  {
    id: "gopls",
    extensions: [".go"],
    commands: [["gopls"]],
    root: (f, stop) => nearestRoot(f, stop, [["go.work"], ["go.mod"]]),
  },
  {
    id: "rust",
    extensions: [".rs"],
    commands: [["rust-analyzer"]],
    root: cargoRoot,
  },
]

export type LspServerConfig = {
  disabled?: boolean
  command?: string[]
  extensions?: string[]
  env?: Record<string, string>
  initialization?: Record<string, unknown>
}

/**
 * Built-ins merged with config `lsp`: `false` turns everything off, an entry can disable a
 * server, replace its command or extensions, or define a new server (command + extensions).
 */
export function resolveSpecs(config: unknown): ServerSpec[] {
  if (config === false) return []
  const entries = (config && typeof config === "object" ? config : {}) as Record<string, LspServerConfig>
  const out: ServerSpec[] = []
  for (const spec of BUILTIN) {
    const c = entries[spec.id]
    if (c?.disabled) continue
    out.push(c ? override(spec, c) : spec)
  }
  for (const [id, c] of Object.entries(entries)) {
    if (BUILTIN.some((s) => s.id === id) || c?.disabled || !c?.command?.length || !c.extensions?.length) continue
    out.push({ id, extensions: c.extensions, commands: [c.command], custom: true, root: () => undefined, env: c.env, initialization: c.initialization })
  }
  return out
}

function override(spec: ServerSpec, c: LspServerConfig): ServerSpec {
  return {
    ...spec,
    commands: c.command?.length ? [c.command] : spec.commands,
    custom: !!c.command?.length,
    extensions: c.extensions?.length ? c.extensions : spec.extensions,
    env: c.env ?? spec.env,
    initialization: c.initialization ?? spec.initialization,
  }
}

export function handles(spec: ServerSpec, file: string) {
  const ext = path.extname(file).toLowerCase()
  return spec.extensions.some((e) => e.toLowerCase() === ext || e === path.basename(file))
}

/**
 * The first command whose program exists, looking in the project's node_modules/.bin folders
 * (nearest first) before PATH. When none is found the first alternative is returned as is:
 * an absolute or relative path in a custom command is tried and fails visibly.
 */
export function findCommand(spec: ServerSpec, root: string, stop: string): { command: string[]; found: boolean } {
  const bins = ancestors(root, stop).map((d) => path.join(d, "node_modules", ".bin"))
  const PATH = [...bins, process.env.PATH ?? ""].join(path.delimiter)
  for (const cmd of spec.commands) {
    const program = Bun.which(cmd[0]!, { PATH })
    if (program) return { command: [program, ...cmd.slice(1)], found: true }
  }
  return { command: spec.commands[0]!, found: false }
}
