import path from "node:path"
import type { Instance } from "../../project/instance"
import { IgnoreRules } from "../ignore"

/**
 * The ignore rules for a search rooted at `root`, read as the file domain and ripgrep read
 * them: .gitignore files from the repository root down when root is inside the project's git
 * worktree, .ignore files everywhere. A root outside the project gets only its own files.
 * A root that is itself ignored (say node_modules/x) is still searched, as rg searches a
 * path it is given; then only the rule files inside it apply (rg would also apply the
 * repository's rules below it, so this fallback may list a little more than rg there).
 */
export function rulesFor(instance: Instance, root: string): IgnoreRules {
  const git = instance.project.vcs === "git"
  const rel = path.relative(instance.worktree, root)
  const inside = !rel.startsWith("..") && !path.isAbsolute(rel)
  if (!git || !inside) return new IgnoreRules(root, root, false)
  if (rel && new IgnoreRules(instance.worktree, instance.worktree, true).ignores(rel.split(path.sep).join("/"), true))
    return new IgnoreRules(root, root, true)
  return new IgnoreRules(root, instance.worktree, true)
}
