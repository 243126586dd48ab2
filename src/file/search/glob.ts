import path from "node:path"

/** A glob relative to the search root; without a "/" it matches file names at any depth (as rg's --glob). */
export function globMatcher(pattern: string): (rel: string) => boolean {
  const p = pattern.startsWith("./") ? pattern.slice(2) : pattern
  const glob = new Bun.Glob(p)
  if (p.includes("/")) return (rel) => glob.match(rel.split(path.sep).join("/"))
  return (rel) => glob.match(path.basename(rel))
}
