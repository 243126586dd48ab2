import { Marked, type Tokens } from "marked"
import { escapeHTML, highlight } from "./highlight"

// Model output is untrusted: raw HTML is shown as text, links only open http(s)/mailto in a
// new tab, and images become links so nothing is fetched from another origin.
const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHTML(text)
    },
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? "").split(/\s/)[0]
      return `<pre class="code"><code class="hljs">${highlight(text, language)}</code></pre>`
    },
    link({ href, tokens }: Tokens.Link) {
      const label = this.parser.parseInline(tokens)
      if (!safeHref(href)) return label
      return `<a href="${escapeHTML(href)}" target="_blank" rel="noopener noreferrer">${label}</a>`
    },
    image({ href, text }: Tokens.Image) {
      const label = escapeHTML(text || href)
      return safeHref(href) ? `<a href="${escapeHTML(href)}" target="_blank" rel="noopener noreferrer">[image: ${label}]</a>` : label
    },
  },
})

function safeHref(href: string) {
  return /^(https?:|mailto:)/i.test(href.trim())
}

const cache = new Map<string, string>()

export function renderMarkdown(text: string): string {
  const hit = cache.get(text)
  if (hit !== undefined) return hit
  const html = marked.parse(text, { async: false }) as string
  if (cache.size > 500) cache.clear()
  cache.set(text, html)
  return html
}
