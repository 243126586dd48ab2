import { api } from "../api"
import { state } from "../store"

export type Suggestion = { kind: "command" | "file"; value: string; label: string; detail?: string }

/** What the word under the caret asks to complete: `/cmd` at the start, or `@path`. */
export function trigger(text: string, caret: number): { kind: "command" | "file"; query: string; start: number } | undefined {
  const before = text.slice(0, caret)
  const slash = /^\/(\S*)$/.exec(before)
  if (slash) return { kind: "command", query: slash[1], start: 0 }
  const at = /(^|\s)@(\S*)$/.exec(before)
  if (at) return { kind: "file", query: at[2], start: caret - at[2].length - 1 }
  return undefined
}

export async function suggestions(kind: "command" | "file", query: string): Promise<Suggestion[]> {
  if (kind === "command") {
    const q = query.toLowerCase()
    return state.commands
      .filter((c) => c.name.toLowerCase().includes(q))
      .slice(0, 12)
      .map((c) => ({ kind, value: c.name, label: `/${c.name}`, detail: c.description }))
  }
  // The server ranks paths with a fuzzy matcher; the empty query lists recent files.
  const files = await api.get<string[]>("find/file", { query, dirs: "false" })
  return files.slice(0, 12).map((f) => ({ kind, value: f, label: f }))
}
