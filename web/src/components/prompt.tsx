import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks"
import { abort, send, fail } from "../actions"
import { isBusy, modelInfo, useStore, state } from "../store"
import type { FilePartInput } from "../types"
import { suggestions, trigger, type Suggestion } from "./complete"
import { Pickers } from "./pickers"

type Attachment = FilePartInput & { key: number }
let keySeq = 0

function readAsDataURL(file: File) {
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })
}

function absolute(path: string) {
  const root = state.path?.directory ?? ""
  return path.startsWith("/") ? path : `${root.replace(/\/$/, "")}/${path}`
}

export function Prompt() {
  const s = useStore()
  const [text, setText] = useState("")
  const [files, setFiles] = useState<Attachment[]>([])
  const [items, setItems] = useState<Suggestion[]>([])
  const [active, setActive] = useState(0)
  const area = useRef<HTMLTextAreaElement>(null)
  const picker = useRef<HTMLInputElement>(null)
  const query = useRef(0)
  // Where the caret goes once a completion is in the text: placed in the same render, so
  // keys typed right after choosing land after the completion.
  const caretTo = useRef<number | undefined>(undefined)
  useLayoutEffect(() => {
    const el = area.current
    if (el && caretTo.current !== undefined) {
      el.focus()
      el.selectionStart = el.selectionEnd = caretTo.current
      caretTo.current = undefined
    }
  })
  const busy = isBusy(s.sessionID)

  useEffect(() => {
    const focus = () => area.current?.focus()
    addEventListener("opencode:focus-prompt", focus)
    return () => removeEventListener("opencode:focus-prompt", focus)
  }, [])

  const refresh = (value: string, caret: number) => {
    const t = trigger(value, caret)
    const ticket = ++query.current
    if (!t) return setItems([])
    suggestions(t.kind, t.query).then(
      (list) => {
        if (ticket !== query.current) return
        setItems(list)
        setActive(0)
      },
      () => setItems([]),
    )
  }

  const choose = (item: Suggestion) => {
    const el = area.current!
    const caret = el.selectionStart
    const t = trigger(text, caret)
    if (!t) return
    const insert = item.kind === "command" ? `/${item.value} ` : `@${item.value} `
    const next = text.slice(0, t.start) + insert + text.slice(caret)
    setText(next)
    setItems([])
    if (item.kind === "file") {
      const value = `@${item.value}`
      setFiles((f) => [
        ...f,
        {
          key: ++keySeq,
          type: "file",
          mime: "text/plain",
          filename: item.value,
          url: `file://${absolute(item.value)}`,
          source: { type: "file", path: item.value, text: { value, start: t.start, end: t.start + value.length } },
        },
      ])
    }
    caretTo.current = t.start + insert.length
  }

  const submit = () => {
    const value = text.trim()
    if (!value && files.length === 0) return
    // A mention removed from the text no longer attaches its file.
    const parts = files.filter((f) => !f.source || text.includes(f.source.text.value)).map(({ key, ...f }) => f)
    setText("")
    setFiles([])
    setItems([])
    send(value, parts).catch(fail)
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (items.length) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault()
        const step = e.key === "ArrowDown" ? 1 : -1
        return setActive((a) => (a + step + items.length) % items.length)
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault()
        return choose(items[active])
      }
      if (e.key === "Escape") {
        e.preventDefault()
        return setItems([])
      }
    }
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault()
      submit()
    } else if (e.key === "Escape" && busy && s.sessionID) {
      e.preventDefault()
      abort(s.sessionID)
    }
  }

  const attach = async (list: FileList | null) => {
    if (!list) return
    try {
      const added = await Promise.all(
        [...list].map(async (file) => ({
          key: ++keySeq,
          type: "file" as const,
          mime: file.type || "application/octet-stream",
          filename: file.name,
          url: await readAsDataURL(file),
        })),
      )
      setFiles((f) => [...f, ...added])
    } catch (err) {
      fail(err)
    }
  }

  const context = contextUsed()
  return (
    <form
      class="prompt"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
      aria-label="Prompt"
    >
      {items.length > 0 && (
        <ul class="suggest" role="listbox" aria-label="Suggestions" id="prompt-suggest" data-testid="suggestions">
          {items.map((item, i) => (
            <li
              key={item.value}
              id={`suggest-${i}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? "active" : ""}
              onMouseDown={(e) => {
                e.preventDefault()
                choose(item)
              }}
            >
              <span>{item.label}</span>
              {item.detail && <span class="muted small"> {item.detail}</span>}
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <div class="chips" aria-label="Attachments">
          {files.map((f) => (
            <span class="chip" key={f.key}>
              {f.filename}
              <button type="button" class="link" aria-label={`Remove ${f.filename}`} onClick={() => setFiles((all) => all.filter((x) => x.key !== f.key))}>
                ×
              </button>
            </span>
          ))}
        </div>
      )}
      <label class="sr-only" for="prompt-input">
        Message
      </label>
      <textarea
        id="prompt-input"
        ref={area}
        data-testid="prompt-input"
        rows={2}
        value={text}
        placeholder={busy ? "Send a follow-up (it will be queued)…" : "Ask anything — Enter sends, Shift+Enter adds a line"}
        aria-autocomplete="list"
        aria-controls={items.length ? "prompt-suggest" : undefined}
        aria-activedescendant={items.length ? `suggest-${active}` : undefined}
        onInput={(e) => {
          const el = e.currentTarget
          setText(el.value)
          refresh(el.value, el.selectionStart)
        }}
        onKeyDown={onKeyDown}
      />
      <div class="prompt-bar">
        <Pickers />
        <input ref={picker} type="file" multiple hidden onChange={(e) => attach(e.currentTarget.files)} data-testid="attach-input" />
        <button type="button" class="icon" aria-label="Attach files" title="Attach files" onClick={() => picker.current?.click()}>
          Attach
        </button>
        {context && (
          <span class="muted small" title="Context window used by the last reply" data-testid="context">
            {context}
          </span>
        )}
        <span class="grow" />
        {busy && s.sessionID && (
          <button type="button" class="danger" onClick={() => abort(s.sessionID!)} data-testid="stop" title="Stop (Esc)">
            Stop
          </button>
        )}
        <button type="submit" class="primary" data-testid="send" disabled={!s.ready}>
          Send
        </button>
      </div>
    </form>
  )
}

function contextUsed() {
  const list = state.sessionID ? state.messages.get(state.sessionID) : undefined
  const last = list?.findLast((m) => m.role === "assistant" && m.tokens.output > 0)
  if (!last || last.role !== "assistant") return undefined
  const used = last.tokens.input + last.tokens.output + last.tokens.reasoning + last.tokens.cache.read + last.tokens.cache.write
  const limit = modelInfo({ providerID: last.providerID, modelID: last.modelID })?.limit.context
  return limit ? `${used.toLocaleString()} / ${limit.toLocaleString()} tokens (${Math.round((used / limit) * 100)}%)` : `${used.toLocaleString()} tokens`
}
