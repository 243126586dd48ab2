import type { ToolPart } from "../../session/schema"
import { unifiedDiff } from "./diff"
import { clip, clippedNote, duration, esc, pretty } from "./html"

const MAX_INPUT = 4_000
const MAX_OUTPUT = 8_000

function block(label: string, text: string, max: number, cls = "") {
  const { text: shown, omitted } = clip(text, max)
  return `<div class="io"><div class="label">${label}</div><pre${cls ? ` class="${cls}"` : ""}>${esc(shown)}</pre>${clippedNote(omitted)}</div>`
}

/** A tool call: name, status, input, output or error, and the file diff it reports. */
export function toolPart(part: ToolPart): string {
  const state = part.state
  const title = "title" in state && state.title ? state.title : ""
  const took = state.status === "completed" || state.status === "error" ? duration(state.time.start, state.time.end) : ""
  const summary = [
    `<span class="tool-name">${esc(part.tool)}</span>`,
    `<span class="status status-${esc(state.status)}">${esc(state.status)}</span>`,
    title ? `<span class="tool-title">${esc(title)}</span>` : "",
    took ? `<span class="muted">${took}</span>` : "",
  ].join(" ")
  const body: string[] = [block("Input", pretty(state.input), MAX_INPUT)]
  if (state.status === "completed") body.push(block("Output", state.output, MAX_OUTPUT))
  if (state.status === "error") body.push(block("Error", state.error, MAX_OUTPUT, "error"))
  const reported = "metadata" in state ? state.metadata?.diff : undefined
  if (typeof reported === "string" && reported.trim()) body.push(`<div class="io"><div class="label">Diff</div>${unifiedDiff(reported)}</div>`)
  return `<details class="part tool"${state.status === "error" ? " open" : ""}><summary>${summary}</summary>${body.join("")}</details>`
}
