import os from "node:os"

// opencode's permission patterns: `*` is any run of characters (slashes and spaces included),
// `?` one character, everything else literal. A trailing " *" also matches nothing, so
// "git status *" covers a bare "git status" as it does in opencode.
const cache = new Map<string, RegExp>()

export function match(subject: string, pattern: string): boolean {
  let re = cache.get(pattern)
  if (!re) {
    let src = expandHome(pattern)
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")
    if (src.endsWith(" .*")) src = src.slice(0, -3) + "( .*)?"
    re = new RegExp(`^${src}$`, "s")
    if (cache.size > 1000) cache.clear()
    cache.set(pattern, re)
  }
  return re.test(subject)
}

function expandHome(p: string) {
  if (p === "~" || p.startsWith("~/")) return os.homedir() + p.slice(1)
  if (p.startsWith("$HOME/")) return os.homedir() + p.slice(5)
  return p
}
