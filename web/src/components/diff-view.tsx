import { structuredPatch } from "diff"
import { useMemo } from "preact/hooks"
import type { FileDiff } from "../types"

function lineClass(line: string) {
  return line[0] === "+" ? "add" : line[0] === "-" ? "del" : "ctx"
}

/** One file's change as a coloured unified diff. */
export function DiffView({ diff }: { diff: FileDiff }) {
  // Diffing is the costly part; the panel re-renders with every streamed frame.
  const patch = useMemo(
    () => structuredPatch(diff.file, diff.file, diff.before ?? "", diff.after ?? "", "", "", { context: 3 }),
    [diff.file, diff.before, diff.after],
  )
  return (
    <details class="diff" open data-testid="diff-file">
      <summary>
        <span class="path">{diff.file}</span> <span class="add-count">+{diff.additions}</span> <span class="del-count">−{diff.deletions}</span>
      </summary>
      <pre class="code diff-body">
        {patch.hunks.map((h, i) => (
          <div key={i}>
            <div class="hunk">
              @@ -{h.oldStart},{h.oldLines} +{h.newStart},{h.newLines} @@
            </div>
            {h.lines.map((line, j) => (
              <div key={j} class={lineClass(line)}>
                {line}
              </div>
            ))}
          </div>
        ))}
      </pre>
    </details>
  )
}

/** A unified diff text (e.g. from GET /file/content) coloured line by line. */
export function PatchText({ text }: { text: string }) {
  return (
    <pre class="code diff-body">
      {text
        .split("\n")
        .filter((line) => !line.startsWith("Index:") && !/^=+$/.test(line))
        .map((line, i) => (
          <div key={i} class={line.startsWith("@@") ? "hunk" : line.startsWith("+++") || line.startsWith("---") ? "ctx" : lineClass(line)}>
            {line}
          </div>
        ))}
    </pre>
  )
}
