import { applyPatch, parsePatch, type StructuredPatch } from "diff"
import { ToolError } from "./tool"

export type UnifiedOp =
  | { kind: "add"; path: string; content: string }
  | { kind: "delete"; path: string }
  | { kind: "update"; path: string; moveTo?: string; apply: (before: string, shown: string) => string }

const NULL = "/dev/null"

export function looksUnified(text: string) {
  return /^--- .*\n\+\+\+ /m.test(text.replace(/\r\n/g, "\n"))
}

/** A unified diff (`diff -u` / `git diff` output) as file operations, applied by the `diff` package. */
export function parseUnified(text: string): UnifiedOp[] {
  let patches: StructuredPatch[]
  try {
    patches = parsePatch(text.replace(/\r\n/g, "\n"))
  } catch (e) {
    throw new ToolError(`The unified diff could not be parsed: ${(e as Error).message}`)
  }
  patches = patches.filter((p) => p.oldFileName || p.newFileName)
  if (!patches.length) throw new ToolError("The unified diff contains no file changes.")
  const strip = stripper(patches)
  return patches.map((p): UnifiedOp => {
    const from = strip(p.oldFileName)
    const to = strip(p.newFileName)
    if (from === NULL && to === NULL) throw new ToolError("A file section of the diff names /dev/null on both sides.")
    if (from === NULL) return { kind: "add", path: to, content: apply("", p, to) }
    if (to === NULL) return { kind: "delete", path: from }
    return { kind: "update", path: from, ...(to !== from ? { moveTo: to } : {}), apply: (before, shown) => apply(before, p, shown) }
  })
}

function apply(source: string, p: StructuredPatch, shown: string) {
  if (!p.hunks.length) return source
  const out = applyPatch(source, p, {
    autoConvertLineEndings: true,
    compareLine: (_n, line, _op, patchContent) => line.trimEnd() === patchContent.trimEnd(),
  })
  if (out === false)
    throw new ToolError(`The diff for ${shown} does not apply: a hunk's context or removed lines do not match the file. Read the file again and regenerate the diff.`)
  return out
}

// git writes a/ and b/ prefixes; plain `diff -u` does not.
function stripper(patches: StructuredPatch[]) {
  const names = patches.flatMap((p) => [p.oldFileName, p.newFileName]).map(clean).filter((n) => n !== NULL)
  const prefixed = names.length > 0 && names.every((n) => /^[ab]\//.test(n))
  return (name: string | undefined) => {
    const n = clean(name)
    return prefixed && n !== NULL ? n.slice(2) : n
  }
}

function clean(name: string | undefined) {
  return (name ?? "").split("\t")[0].trim()
}
