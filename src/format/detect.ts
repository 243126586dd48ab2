import fs from "node:fs"
import path from "node:path"

/** Where detection looks: the folders from the project directory up to the worktree root. */
export type Scope = { directory: string; worktree: string }

export function folders(scope: Scope): string[] {
  const out: string[] = []
  let dir = scope.directory
  while (true) {
    out.push(dir)
    if (dir === scope.worktree) break
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return out
}

/** A program from the project's node_modules/.bin folders (nearest first), else from PATH. */
export function which(scope: Scope, program: string): string | undefined {
  const bins = folders(scope).map((d) => path.join(d, "node_modules", ".bin"))
  return Bun.which(program, { PATH: [...bins, process.env.PATH ?? ""].join(path.delimiter) }) ?? undefined
}

/** The nearest of these file names in the project folders. */
export function findFile(scope: Scope, names: string[]): string | undefined {
  for (const dir of folders(scope)) {
    for (const n of names) {
      const p = path.join(dir, n)
      if (fs.existsSync(p)) return p
    }
  }
}

export function read(file: string | undefined): string {
  if (!file) return ""
  try {
    return fs.readFileSync(file, "utf8")
  } catch {
    return ""
  }
}

/** True when a package.json in the project folders lists the package as a dependency. */
export function hasDependency(scope: Scope, pkg: string): boolean {
  for (const dir of folders(scope)) {
    try {
      const json = JSON.parse(read(path.join(dir, "package.json")) || "{}")
      if (json.dependencies?.[pkg] || json.devDependencies?.[pkg] || json[pkg]) return true
    } catch {}
  }
  return false
}
