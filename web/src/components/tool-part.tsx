import type { ToolPart } from "../types"
import { state } from "../store"
import { selectSession } from "../actions"

function duration(part: ToolPart) {
  const s = part.state
  if (s.status !== "completed" && s.status !== "error") return undefined
  const ms = s.time.end - s.time.start
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

function stringify(value: unknown) {
  try {
    return JSON.stringify(value, null, 2)
  } catch {
    return String(value)
  }
}

/** A tool call as a collapsible block; open while it runs or waits for permission. */
export function ToolView({ part }: { part: ToolPart }) {
  const s = part.state
  const title = ("title" in s && s.title) || part.tool
  const pending = [...state.permissions.values()].filter((p) => p.tool?.callID === part.callID)
  const open = pending.length > 0 || s.status === "error"
  // The task tool runs a subagent in a child session; its id rides in the metadata.
  const child = "metadata" in s && typeof s.metadata?.sessionId === "string" ? s.metadata.sessionId : undefined
  return (
    <details class={`tool tool-${s.status}`} open={open} data-testid="tool-part" data-tool={part.tool} data-status={s.status}>
      <summary>
        <span class="tool-name">{part.tool}</span>
        <span class="tool-title">{title !== part.tool ? title : ""}</span>
        <span class={`badge status-${s.status}`}>{pending.length ? "needs permission" : s.status}</span>
        {duration(part) && <span class="muted">{duration(part)}</span>}
      </summary>
      <div class="tool-body">
        {child && (
          <button class="link" onClick={() => selectSession(child)} data-testid="open-subagent">
            Open the subagent's session
          </button>
        )}
        <div class="label">Input</div>
        <pre class="code">{stringify(s.input)}</pre>
        {s.status === "completed" && (
          <>
            <div class="label">Output</div>
            <pre class="code output">{s.output}</pre>
          </>
        )}
        {s.status === "error" && (
          <pre class="code error" role="alert">
            {s.error}
          </pre>
        )}
      </div>
    </details>
  )
}
