import { sessionChanges } from "./changes"
import { resolveShare, type SharedConversation } from "./view"

// Shared pages hold someone's conversation: nothing runs, nothing loads, nothing is framed,
// cached or indexed, and no referrer leaks the token to sites the page links to.
export const SHARE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
  "x-robots-tag": "noindex, nofollow",
}

/** The shared conversation as a self-contained HTML page, or a 404 page for an unknown token. */
export async function sharePage(token: string): Promise<{ status: number; html: string }> {
  // The renderer (with its markdown parser) loads when a page is first asked for.
  const { conversationPage, notFoundPage } = await import("./page/document")
  const view = resolveShare(token)
  if (!view) return { status: 404, html: notFoundPage() }
  return { status: 200, html: conversationPage(view, await sessionChanges(view.session, view.messages)) }
}

/** The same conversation as data for scripts; undefined for an unknown token. */
export function shareData(token: string): SharedConversation | undefined {
  return resolveShare(token)
}
