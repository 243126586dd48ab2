import { useEffect } from "preact/hooks"
import { newSession, selectSession, fail } from "../actions"
import { useStore, state, emit } from "../store"
import { Changes, Todos } from "./changes"
import { Chat } from "./chat"
import { Files } from "./files"
import { Prompt } from "./prompt"
import { Help, Providers } from "./providers"
import { Sidebar } from "./sidebar"

type Panel = typeof state.panel

function togglePanel(panel: Panel) {
  state.panel = state.panel === panel ? "none" : panel
  emit()
}

function onKey(e: KeyboardEvent) {
  if (e.key === "Escape" && (state.dialog !== "none" || state.panel !== "none" || state.sidebar)) {
    state.dialog = "none"
    state.panel = "none"
    state.sidebar = false
    return emit()
  }
  if (!e.altKey || e.ctrlKey || e.metaKey) return
  const k = e.key.toLowerCase()
  const actions: Record<string, () => void> = {
    n: () => void newSession().catch(fail),
    k: () => {
      state.sidebar = true
      emit()
      requestAnimationFrame(() => document.getElementById("session-search")?.focus())
    },
    l: () => dispatchEvent(new Event("opencode:focus-prompt")),
    d: () => togglePanel("changes"),
    f: () => togglePanel("files"),
    "/": () => {
      state.dialog = "help"
      emit()
    },
  }
  const action = actions[e.code === "Slash" ? "/" : k]
  if (action) {
    e.preventDefault()
    action()
  }
}

export function App() {
  const s = useStore()
  useEffect(() => {
    addEventListener("keydown", onKey)
    return () => removeEventListener("keydown", onKey)
  }, [])
  useEffect(() => {
    // Tests and the benchmark wait for this: the prompt can be used from now on.
    if (s.ready) document.documentElement.dataset.ready = ""
    else delete document.documentElement.dataset.ready
  }, [s.ready])
  const session = s.sessionID ? s.sessions.get(s.sessionID) : undefined
  const diffCount = (s.sessionID && s.diffs.get(s.sessionID)?.length) || 0
  const todoCount = (s.sessionID && s.todos.get(s.sessionID)?.filter((t) => t.status !== "completed" && t.status !== "cancelled").length) || 0
  const tab = (panel: Panel, label: string, count = 0) => (
    <button class={`tab${s.panel === panel ? " active" : ""}`} aria-pressed={s.panel === panel} onClick={() => togglePanel(panel)} data-testid={`tab-${panel}`}>
      {label}
      {count > 0 && <span class="count">{count}</span>}
    </button>
  )
  return (
    <div class={`app${s.panel !== "none" ? " with-panel" : ""}`}>
      <header class="topbar">
        <button
          class="icon only-narrow"
          aria-label="Sessions"
          aria-expanded={s.sidebar}
          onClick={() => {
            s.sidebar = !s.sidebar
            emit()
          }}
          data-testid="toggle-sidebar"
        >
          ☰
        </button>
        {session?.parentID && s.sessions.has(session.parentID) && (
          <button class="icon" onClick={() => selectSession(session.parentID)} aria-label="Back to the parent session" title="Parent session" data-testid="to-parent">
            ↑
          </button>
        )}
        <h1 class="grow title" data-testid="session-title">
          {session?.title ?? "New session"}
          {session?.parentID && <span class="muted small"> (child)</span>}
        </h1>
        <span
          class={`dot${s.connected ? " on" : ""}`}
          role="status"
          aria-label={s.connected ? "Connected" : "Reconnecting"}
          title={s.connected ? "Connected" : "Reconnecting…"}
        />
        {tab("changes", "Changes", diffCount)}
        {tab("todo", "Todo", todoCount)}
        {tab("files", "Files")}
        <button
          class="tab only-wide"
          onClick={() => {
            s.dialog = "providers"
            emit()
          }}
          data-testid="open-providers"
        >
          Providers
        </button>
        <button
          class="icon only-wide"
          aria-label="Keyboard shortcuts"
          onClick={() => {
            s.dialog = "help"
            emit()
          }}
        >
          ?
        </button>
      </header>
      <Sidebar />
      {s.sidebar && (
        <div
          class="scrim only-narrow"
          onClick={() => {
            s.sidebar = false
            emit()
          }}
        />
      )}
      <main class="main" aria-label="Session">
        <Chat />
        <Prompt />
      </main>
      {s.panel !== "none" && (
        <aside class="panel" aria-label={s.panel} data-testid="panel">
          <button class="only-narrow panel-close" onClick={() => togglePanel(s.panel)} aria-label="Close panel">
            ← Back to the conversation
          </button>
          {s.panel === "changes" && <Changes />}
          {s.panel === "todo" && <Todos />}
          {s.panel === "files" && <Files />}
        </aside>
      )}
      {s.dialog !== "none" && (
        <div
          class="scrim dialog-scrim"
          onClick={() => {
            s.dialog = "none"
            emit()
          }}
        />
      )}
      {s.dialog === "providers" && <Providers close={() => ((s.dialog = "none"), emit())} />}
      {s.dialog === "help" && <Help close={() => ((s.dialog = "none"), emit())} />}
      <div class="toasts" role="status" aria-live="polite">
        {s.toasts.map((t) => (
          <div key={t.id} class={`toast ${t.kind}`} data-testid={`toast-${t.kind}`}>
            {t.text}
          </div>
        ))}
      </div>
    </div>
  )
}
