import { useEffect, useState } from "preact/hooks"
import { api } from "../api"
import { connectProvider, fail } from "../actions"
import { toast } from "../store"
import type { ProviderList } from "../types"

/** Which providers are connected, and connecting one with an API key (PUT /auth/:id). */
export function Providers({ close }: { close: () => void }) {
  const [list, setList] = useState<ProviderList | undefined>()
  const [id, setID] = useState("")
  const [key, setKey] = useState("")
  const [filter, setFilter] = useState("")
  const load = () => api.get<ProviderList>("provider").then(setList, fail)
  useEffect(() => {
    void load()
    document.getElementById("provider-id")?.focus()
  }, [])
  const connected = new Set(list?.connected ?? [])
  const q = filter.toLowerCase()
  const shown = (list?.all ?? [])
    .filter((p) => !q || p.id.includes(q) || p.name.toLowerCase().includes(q))
    .sort((a, b) => Number(connected.has(b.id)) - Number(connected.has(a.id)))
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!id || !key.trim()) return
    try {
      await connectProvider(id, key.trim())
      setKey("")
      toast(`Connected ${id}`)
      await load()
    } catch (err) {
      fail(err)
    }
  }
  return (
    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="providers-title" data-testid="providers">
      <div class="row">
        <h2 id="providers-title" class="grow">
          Providers
        </h2>
        <button onClick={close} aria-label="Close">
          ×
        </button>
      </div>
      <form onSubmit={submit} class="stack">
        <label for="provider-id">Provider</label>
        <select id="provider-id" value={id} onChange={(e) => setID(e.currentTarget.value)} data-testid="provider-id" required>
          <option value="">Choose…</option>
          {(list?.all ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.id})
            </option>
          ))}
        </select>
        <label for="provider-key">API key</label>
        <input
          id="provider-key"
          type="password"
          autocomplete="off"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          data-testid="provider-key"
          required
        />
        <button class="primary" type="submit" data-testid="provider-connect">
          Connect
        </button>
      </form>
      <label class="sr-only" for="provider-filter">
        Filter providers
      </label>
      <input id="provider-filter" type="search" placeholder="Filter providers" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      <ul class="provider-list" aria-label="Providers">
        {shown.slice(0, 200).map((p) => (
          <li key={p.id} data-testid="provider-item" data-connected={connected.has(p.id) ? "" : undefined}>
            <span class="grow">{p.name}</span>
            {connected.has(p.id) ? <span class="badge ok">connected</span> : <span class="muted small">{p.env[0] ?? ""}</span>}
          </li>
        ))}
      </ul>
    </div>
  )
}

export function Help({ close }: { close: () => void }) {
  useEffect(() => document.getElementById("help-close")?.focus(), [])
  const keys: [string, string][] = [
    ["Enter", "Send"],
    ["Shift+Enter", "New line"],
    ["Esc", "Stop the reply (in the prompt) / close a panel"],
    ["Alt+N", "New session"],
    ["Alt+K", "Search sessions"],
    ["Alt+L", "Focus the prompt"],
    ["Alt+D", "Changes panel"],
    ["Alt+F", "Files panel"],
    ["@", "Mention a file"],
    ["/", "Run a command"],
    ["!", "Run a shell command"],
  ]
  return (
    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title">
      <div class="row">
        <h2 id="help-title" class="grow">
          Keyboard shortcuts
        </h2>
        <button onClick={close} aria-label="Close" id="help-close">
          ×
        </button>
      </div>
      <dl class="keys">
        {keys.map(([k, v]) => (
          <>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
    </div>
  )
}
