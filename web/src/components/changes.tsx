import { useStore } from "../store"
import { DiffView } from "./diff-view"

export function Changes() {
  const s = useStore()
  const diffs = (s.sessionID && s.diffs.get(s.sessionID)) || []
  return (
    <section aria-label="Changes" data-testid="changes">
      {diffs.length === 0 ? <p class="muted">No file changes in this session yet.</p> : diffs.map((d) => <DiffView key={d.file} diff={d} />)}
    </section>
  )
}

const marks: Record<string, string> = { completed: "☑", in_progress: "◐", cancelled: "☒", pending: "☐" }

export function Todos() {
  const s = useStore()
  const todos = (s.sessionID && s.todos.get(s.sessionID)) || []
  return (
    <section aria-label="Todo list" data-testid="todos">
      {todos.length === 0 ? (
        <p class="muted">No todo list for this session.</p>
      ) : (
        <ul class="todos">
          {todos.map((t) => (
            <li key={t.id} class={`todo ${t.status}`}>
              <span aria-hidden="true">{marks[t.status] ?? "☐"}</span> <span class="sr-only">{t.status.replace("_", " ")}:</span> {t.content}
              {t.priority === "high" && <span class="badge">high</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
