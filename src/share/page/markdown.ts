import { Marked } from "marked"
import { esc } from "./html"

// Only these link targets stay clickable; anything else (javascript:, data:, relative paths
// into who knows where) is shown as plain text.
const SAFE_HREF = /^(?:https?:|mailto:|#)/i

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    // Raw HTML in a message is shown as text, never interpreted.
    html({ text }) {
      return esc(text)
    },
    link({ href, title, tokens }) {
      const label = this.parser.parseInline(tokens)
      const target = href.trim()
      if (!SAFE_HREF.test(target)) return label
      return `<a href="${esc(target)}" rel="nofollow noopener noreferrer"${title ? ` title="${esc(title)}"` : ""}>${label}</a>`
    },
    // The page loads nothing from anywhere (CSP img-src is 'none'): an image becomes its link.
    image({ href, text }) {
      const target = href.trim()
      const label = `[image: ${esc(text || "untitled")}]`
      return SAFE_HREF.test(target) ? `<a href="${esc(target)}" rel="nofollow noopener noreferrer">${label}</a>` : label
    },
  },
})

export function markdown(source: string): string {
  return marked.parse(source) as string
}
