import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks"
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect, measureElement } from "@tanstack/virtual-core"
import { unrevert, fail } from "../actions"
import { isBusy, useStore, state } from "../store"
import type { Message } from "../types"
import { MessageView } from "./message"
import { PermissionCard } from "./permission"

function visibleMessages(sessionID: string) {
  const list = state.messages.get(sessionID) ?? []
  const cut = state.sessions.get(sessionID)?.revert?.messageID
  return cut ? list.filter((m) => m.id < cut) : list
}

/** User messages waiting behind the one being answered (the server runs one prompt at a time). */
function queuedIDs(sessionID: string, list: Message[]) {
  const queued = new Set<string>()
  if (!isBusy(sessionID)) return queued
  const answered = new Set(list.map((m) => (m.role === "assistant" ? m.parentID : "")))
  const running = list.findLast((m) => m.role === "assistant" && !m.time.completed)
  let current = running?.role === "assistant" ? running.parentID : undefined
  for (const m of list) {
    if (m.role !== "user" || answered.has(m.id)) continue
    if (!current) current = m.id
    else if (m.id > current) queued.add(m.id)
  }
  return queued
}

function descendsFrom(sessionID: string, ancestor: string) {
  for (let cur: string | undefined = sessionID, hops = 0; cur && hops < 20; cur = state.sessions.get(cur)?.parentID, hops++) if (cur === ancestor) return true
  return false
}

/** The conversation, windowed: only the rows in view (plus a few) are in the DOM. */
export function Chat() {
  const s = useStore()
  const id = s.sessionID
  const list = id ? visibleMessages(id) : []
  const queued = id ? queuedIDs(id, list) : new Set<string>()
  const scroller = useRef<HTMLDivElement>(null)
  const sticky = useRef(true)
  const [, rerender] = useState(0)
  const virtualizer = useMemo(
    () =>
      new Virtualizer<HTMLDivElement, HTMLDivElement>({
        count: 0,
        getScrollElement: () => scroller.current,
        estimateSize: () => 120,
        scrollToFn: elementScroll,
        observeElementRect,
        observeElementOffset,
        measureElement,
        onChange: () => rerender((n) => n + 1),
      }),
    [],
  )
  virtualizer.setOptions({
    ...virtualizer.options,
    count: list.length,
    overscan: 6,
    getItemKey: (i) => list[i]?.id ?? i,
  })
  useLayoutEffect(() => virtualizer._didMount(), [])
  // A session just opened starts at its end (before the scroll below runs).
  useLayoutEffect(() => {
    sticky.current = true
  }, [id])
  useLayoutEffect(() => {
    virtualizer._willUpdate()
    const el = scroller.current
    if (el && sticky.current) el.scrollTop = el.scrollHeight
  })

  const onScroll = () => {
    const el = scroller.current
    if (el) sticky.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48
  }
  const session = id ? s.sessions.get(id) : undefined
  const outbox = s.outbox.filter((o) => o.sessionID === id)
  // A subagent asks in its child session: its parent's view shows the request too.
  const permissions = id ? [...s.permissions.values()].filter((p) => descendsFrom(p.sessionID, id)) : []
  const busy = isBusy(id)

  return (
    <div class="chat" ref={scroller} onScroll={onScroll} role="log" aria-label="Conversation" aria-live="off" data-testid="chat">
      {list.length === 0 && outbox.length === 0 && (
        <div class="empty">
          <h2>What should we do{s.path ? ` in ${s.path.directory.split("/").pop()}` : ""}?</h2>
          <p class="muted">Type below and press Enter. @ mentions a file, / runs a command, ! runs a shell command.</p>
        </div>
      )}
      <div class="rows" style={{ height: `${virtualizer.getTotalSize()}px` }}>
        {virtualizer.getVirtualItems().map((item) => {
          const info = list[item.index]
          if (!info) return null
          return (
            <div key={item.key} class="row-item" data-index={item.index} ref={virtualizer.measureElement} style={{ transform: `translateY(${item.start}px)` }}>
              <MessageView info={info} rev={s.rev.get(info.id) ?? 0} reverted={false} queued={queued.has(info.id)} />
            </div>
          )
        })}
      </div>
      {outbox.map((o, i) => (
        <article key={i} class="msg user" data-testid="message-outbox">
          <div class="bubble">{o.text}</div>
          <div class="msg-actions">
            <span class="badge" data-testid="queued">
              {busy ? "queued" : "sending"}
            </span>
          </div>
        </article>
      ))}
      {session?.revert && (
        <div class="banner" role="status" data-testid="reverted">
          Later messages and their file changes were reverted.
          <button onClick={() => unrevert(session.id).catch(fail)} data-testid="unrevert">
            Restore
          </button>
        </div>
      )}
      {permissions.map((p) => (
        <PermissionCard key={p.id} req={p} />
      ))}
      {busy && (
        <div class="working muted" role="status" data-testid="working">
          <span class="spinner" aria-hidden="true" /> Working…
        </div>
      )}
    </div>
  )
}
