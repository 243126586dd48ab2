import type { FileDiff } from "../../session/schema"
import type { SharedConversation } from "../view"
import { fileDiff } from "./diff"
import { esc, time } from "./html"
import { message } from "./message"
import style from "./style.css" with { type: "text" }

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${style}</style>
</head>
<body><main>${body}<footer>Read-only view of an opencode session, served by the server that ran it.</footer></main></body>
</html>`
}

export function conversationPage(view: SharedConversation, changes: FileDiff[]): string {
  const { session, messages } = view
  const counts = `${messages.length} message${messages.length === 1 ? "" : "s"}`
  const banner = `<div class="banner">Shared session · ${counts} · started ${time(session.time.created)} · updated ${time(session.time.updated)}</div>`
  const conversation = messages.length ? messages.map((m) => message(m, session.directory)).join("\n") : `<p class="muted">No messages yet.</p>`
  const diff = changes.length
    ? `<h2>Changes</h2><p class="muted">Files this session changed: before the session versus now.</p>${changes.map(fileDiff).join("\n")}`
    : ""
  return page(session.title, `<h1>${esc(session.title)}</h1>${banner}${conversation}${diff}`)
}

export function notFoundPage(): string {
  return page("Not found", `<h1>Not found</h1><p>This shared session does not exist or is no longer shared.</p>`)
}
