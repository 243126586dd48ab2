import type TurndownService from "turndown"

const DROP = ["script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "canvas", "meta", "link"]

let turndown: TurndownService | undefined

export async function htmlToMarkdown(html: string): Promise<string> {
  if (!turndown) {
    // Loaded on first use: turndown costs a few MB of memory that most servers never need.
    const { default: TurndownService } = await import("turndown")
    turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-", emDelimiter: "*" })
    turndown.remove(DROP as TurndownService.TagName[])
  }
  return turndown.turndown(html).trim()
}

const BLOCK = new Set(["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "pre", "blockquote", "table", "ul", "ol", "title", "dt", "dd"])

/** The page's visible text, one block per line, scripts and styles left out. */
export async function htmlToText(html: string): Promise<string> {
  const parts: string[] = []
  let skipping = 0
  const rewriter = new HTMLRewriter()
    .on(DROP.join(","), {
      element(el) {
        skipping++
        el.onEndTag(() => void skipping--)
      },
    })
    .on("*", {
      element(el) {
        if (BLOCK.has(el.tagName)) parts.push("\n")
      },
      text(chunk) {
        if (!skipping) parts.push(chunk.text)
      },
    })
  await rewriter.transform(new Response(html)).text()
  return decodeEntities(parts.join(""))
    .split("\n")
    .map((l) => l.replace(/[ \t\u00A0]+/g, " ").trim())
    .filter((l, i, all) => l || (i > 0 && all[i - 1]))
    .join("\n")
    .trim()
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " }

function decodeEntities(s: string) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m
    }
    return ENTITIES[e.toLowerCase()] ?? m
  })
}
