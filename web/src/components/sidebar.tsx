import { useState } from "preact/hooks"
import { fork, newSession, remove, rename, selectSession, switchProject, fail } from "../actions"
import { currentDirectory } from "../api"
import { isBusy, useStore, state, emit } from "../store"
import type { Session } from "../types"

// Focus and select once when the title field appears, not on every render.
function focusOnce(el: HTMLInputElement | null) {
  if (el && el.dataset.focused === undefined) {
    el.dataset.focused = ""
    el.focus()
    el.select()
  }
}

function ago(ms: number) {
  const s = Math.max(0, (Date.now() - ms) / 1000)
  if (s < 60) return "now"
  if (s < 3600) return `${Math.floor(s / 60)}m`
  if (s < 86400) return `${Math.floor(s / 3600)}h`
  return `${Math.floor(s / 86400)}d`
}

type Children = Map<string, Session[]>

function Row({ session, depth, kids }: { session: Session; depth: number; kids: Children }) {
  const children = kids.get(session.id) ?? []
  const s = useStore()
  const [editing, setEditing] = useState(false)
  const current = s.sessionID === session.id
  const asking = [...s.permissions.values()].some((p) => p.sessionID === session.id)
  const save = (title: string) => {
    setEditing(false)
    if (title.trim() && title !== session.title) rename(session.id, title.trim()).catch(fail)
  }
  return (
    <li>
      <div class={`session${current ? " current" : ""}`} style={{ paddingLeft: `${0.5 + depth}rem` }} data-testid="session-item">
        {editing ? (
          <input
            class="grow"
            aria-label="Session title"
            data-testid="rename-input"
            value={session.title}
            ref={focusOnce}
            onKeyDown={(e) => {
              if (e.key === "Enter") save(e.currentTarget.value)
              if (e.key === "Escape") setEditing(false)
            }}
            onBlur={(e) => save(e.currentTarget.value)}
          />
        ) : (
          <button class="session-open grow" aria-current={current ? "page" : undefined} onClick={() => selectSession(session.id)}>
            <span class="title">{session.title || "Untitled"}</span>
            <span class="muted small">
              {asking && (
                <span class="badge warn" title="Waiting for your permission">
                  asks
                </span>
              )}{" "}
              {isBusy(session.id) ? "● " : ""}
              {ago(session.time.updated)}
            </span>
          </button>
        )}
        <details class="menu">
          <summary aria-label={`Actions for ${session.title}`}>⋯</summary>
          <div class="menu-list" role="menu">
            <button role="menuitem" onClick={() => setEditing(true)} data-testid="rename">
              Rename
            </button>
            <button role="menuitem" onClick={() => fork(session.id).catch(fail)}>
              Fork
            </button>
            <button role="menuitem" onClick={() => newSession(session.id).catch(fail)}>
              New child session
            </button>
            <button role="menuitem" class="danger" data-testid="delete" onClick={() => confirm(`Delete “${session.title}”?`) && remove(session.id).catch(fail)}>
              Delete
            </button>
          </div>
        </details>
      </div>
      {children.length > 0 && <Tree sessions={children} depth={depth + 1} kids={kids} />}
    </li>
  )
}

function Tree({ sessions, depth, kids }: { sessions: Session[]; depth: number; kids: Children }) {
  return (
    <ul class="sessions">
      {sessions.map((session) => (
        <Row key={session.id} session={session} depth={depth} kids={kids} />
      ))}
    </ul>
  )
}

function openDialog(dialog: typeof state.dialog) {
  state.dialog = dialog
  state.sidebar = false
  emit()
}

const newest = (a: Session, b: Session) => b.time.updated - a.time.updated

export function Sidebar() {
  const s = useStore()
  const [search, setSearch] = useState("")
  const all = [...s.sessions.values()].sort(newest)
  const q = search.trim().toLowerCase()
  const kids: Children = new Map()
  for (const x of all) if (x.parentID) kids.set(x.parentID, [...(kids.get(x.parentID) ?? []), x])
  const roots = q ? all.filter((x) => x.title.toLowerCase().includes(q)) : all.filter((x) => !x.parentID || !s.sessions.has(x.parentID))
  const here = currentDirectory() ?? s.path?.directory
  // Directories outside git share the "global" project rooted at "/": not a place to switch to.
  const projects = s.projects.filter((p) => p.worktree !== "/")
  return (
    <nav class={`sidebar${s.sidebar ? " open" : ""}`} aria-label="Projects and sessions" data-testid="sidebar">
      {projects.some((p) => p.worktree !== here) && (
        <>
          <label class="label" for="project-select">
            Project
          </label>
          <select id="project-select" data-testid="project-select" value={here} onChange={(e) => switchProject(e.currentTarget.value)}>
            {projects.map((p) => (
              <option key={p.id} value={p.worktree}>
                {p.worktree}
              </option>
            ))}
            {here && !projects.some((p) => p.worktree === here) && <option value={here}>{here}</option>}
          </select>
        </>
      )}
      <button class="primary wide" onClick={() => newSession().catch(fail)} data-testid="new-session" title="New session (Alt+N)">
        New session
      </button>
      <label class="sr-only" for="session-search">
        Search sessions
      </label>
      <input
        id="session-search"
        type="search"
        placeholder="Search sessions"
        value={search}
        onInput={(e) => setSearch(e.currentTarget.value)}
        data-testid="session-search"
      />
      {q ? (
        <ul class="sessions">
          {roots.map((session) => (
            <Row key={session.id} session={session} depth={0} kids={new Map()} />
          ))}
        </ul>
      ) : (
        <Tree sessions={roots} depth={0} kids={kids} />
      )}
      {roots.length === 0 && <p class="muted small">{q ? "No session matches." : "No sessions yet."}</p>}
      <div class="sidebar-foot only-narrow">
        <button onClick={() => openDialog("providers")}>Providers</button> <button onClick={() => openDialog("help")}>Shortcuts</button>
      </div>
    </nav>
  )
}
