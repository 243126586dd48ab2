import { memo } from "preact/compat"
import { fork, revert, fail } from "../actions"
import { renderMarkdown } from "../markdown"
import { state } from "../store"
import type { AssistantMessage, Message, Part } from "../types"
import { ToolView } from "./tool-part"

function Markdown({ text }: { text: string }) {
  // renderMarkdown escapes raw HTML and highlights code itself (see markdown.ts).
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />
}

function PartView({ part, plain }: { part: Part; plain?: boolean }) {
  switch (part.type) {
    case "text":
      if (part.synthetic || part.ignored) return null
      return plain ? <div class="plain">{part.text}</div> : <Markdown text={part.text} />
    case "reasoning":
      if (!part.text.trim()) return null
      return (
        <details class="reasoning" data-testid="reasoning">
          <summary>Thinking{part.time?.end ? "" : "…"}</summary>
          <Markdown text={part.text} />
        </details>
      )
    case "tool":
      return <ToolView part={part} />
    case "file":
      return (
        <div class="attachment" data-testid="attachment">
          <span aria-hidden="true">+</span> {part.filename ?? part.source?.path ?? part.mime}
        </div>
      )
    case "patch":
      return <div class="muted small">Changed: {part.files.map((f) => f.split("/").pop()).join(", ")}</div>
    case "retry":
      return (
        <div class="error small">
          Retrying (attempt {part.attempt}): {part.error.data.message}
        </div>
      )
    case "subtask":
      return (
        <div class="muted small">
          Subtask for {part.agent}: {part.description}
        </div>
      )
    case "compaction":
      return <div class="muted small">Conversation compacted</div>
    default:
      return null
  }
}

function money(n: number) {
  return n === 0 ? "$0" : n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`
}

function Usage({ info }: { info: AssistantMessage }) {
  const t = info.tokens
  return (
    <div class="usage muted small" data-testid="usage">
      {info.providerID}/{info.modelID} · {t.input.toLocaleString()} in · {t.output.toLocaleString()} out
      {t.reasoning ? ` · ${t.reasoning.toLocaleString()} reasoning` : ""}
      {t.cache.read ? ` · ${t.cache.read.toLocaleString()} cached` : ""} · {money(info.cost)}
    </div>
  )
}

type Props = { info: Message; rev: number; reverted: boolean; queued: boolean }

/** One message; `rev` changes whenever the message or its parts change, so others skip rendering. */
export const MessageView = memo(function MessageView({ info, reverted, queued }: Props) {
  const parts = state.parts.get(info.id) ?? []
  if (info.role === "user") {
    // A `!` command's user message holds only synthetic text: its tool call says it all.
    const visible = parts.filter((p) => !(p.type === "text" && (p.synthetic || p.ignored)))
    return (
      <article class={`msg user${reverted ? " reverted" : ""}`} data-testid="message-user" aria-label="Your message">
        {visible.length > 0 && (
          <div class="bubble">
            {visible.map((p) => (
              <PartView key={p.id} part={p} plain />
            ))}
          </div>
        )}
        <div class="msg-actions">
          {queued && (
            <span class="badge" data-testid="queued">
              queued
            </span>
          )}
          <button
            class="link"
            onClick={() => revert(info.sessionID, info.id).catch(fail)}
            data-testid="revert"
            title="Undo this message and the file changes after it"
          >
            Revert
          </button>
          <button class="link" onClick={() => fork(info.sessionID, info.id).catch(fail)} title="New session with the conversation before this message">
            Fork
          </button>
        </div>
      </article>
    )
  }
  const done = !!info.time.completed
  return (
    <article
      class={`msg assistant${reverted ? " reverted" : ""}`}
      data-testid="message-assistant"
      data-done={done ? "" : undefined}
      aria-label="Assistant message"
    >
      {parts.map((p) => (
        <PartView key={p.id} part={p} />
      ))}
      {info.error && info.error.name !== "MessageAbortedError" && (
        <div class="error" role="alert">
          {String((info.error.data as any)?.message ?? info.error.name)}
        </div>
      )}
      {info.error?.name === "MessageAbortedError" && <div class="muted small">Stopped.</div>}
      {done && info.tokens.input + info.tokens.output > 0 && <Usage info={info} />}
    </article>
  )
})
