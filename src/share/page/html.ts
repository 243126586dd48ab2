const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

/** Every piece of conversation data goes through this before it reaches the page. */
export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c])
}

/** The text cut at `max` characters, and how many were left out. */
export function clip(text: string, max: number): { text: string; omitted: number } {
  return text.length <= max ? { text, omitted: 0 } : { text: text.slice(0, max), omitted: text.length - max }
}

export function clippedNote(omitted: number): string {
  return omitted ? `<p class="note">… ${omitted.toLocaleString("en-US")} more characters not shown here (the full text is in this page's /data JSON).</p>` : ""
}

/** A UTC timestamp: the page is rendered on the server and runs no script to localise it. */
export function time(ms: number | undefined): string {
  if (!ms) return ""
  const iso = new Date(ms).toISOString()
  return `<time datetime="${iso}">${iso.slice(0, 19).replace("T", " ")} UTC</time>`
}

export function duration(start: number | undefined, end: number | undefined): string {
  if (!start || !end || end < start) return ""
  const ms = end - start
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

export function pretty(value: unknown): string {
  if (typeof value === "string") return value
  try {
    return JSON.stringify(value, null, 2) ?? ""
  } catch {
    return String(value)
  }
}
