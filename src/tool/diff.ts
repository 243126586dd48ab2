import { createTwoFilesPatch, structuredPatch } from "diff"

export type FileChange = { file: string; before: string; after: string; additions: number; deletions: number }

/** A unified diff of one file's change plus the counts clients show. */
export function describeChange(file: string, before: string, after: string): { diff: string; filediff: FileChange } {
  const diff = createTwoFilesPatch(file, file, normalize(before), normalize(after))
  let additions = 0
  let deletions = 0
  for (const hunk of structuredPatch(file, file, normalize(before), normalize(after)).hunks)
    for (const line of hunk.lines) {
      if (line.startsWith("+")) additions++
      else if (line.startsWith("-")) deletions++
    }
  return { diff, filediff: { file, before, after, additions, deletions } }
}

// Line-ending-only differences would turn every line into a change.
function normalize(s: string) {
  return s.replaceAll("\r\n", "\n")
}
