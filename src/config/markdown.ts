import { parse as parseYaml } from "yaml"
import type { ConfigIssue } from "./error"

export type MarkdownDoc = { data: Record<string, unknown>; body: string }

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

/** Splits `---` YAML frontmatter from the body; a file without frontmatter is all body. */
export function parseMarkdown(text: string, issues: ConfigIssue[]): MarkdownDoc {
  const src = text.replace(/^\uFEFF/, "")
  const m = FENCE.exec(src)
  if (!m) return { data: {}, body: src.trim() }
  let data: unknown
  try {
    data = parseYaml(m[1]) ?? {}
  } catch (e: any) {
    const pos = e?.linePos?.[0]
    issues.push({ path: "frontmatter", message: `${pos ? `line ${pos.line + 1}: ` : ""}${firstLine(e?.message)}` })
    return { data: {}, body: src.slice(m[0].length).trim() }
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    issues.push({ path: "frontmatter", message: "must be a mapping of keys to values" })
    data = {}
  }
  return { data: data as Record<string, unknown>, body: src.slice(m[0].length).trim() }
}

/** `.opencode/agent/review.md` -> agent config entry; the body is the agent's prompt. */
export function agentFromMarkdown(doc: MarkdownDoc): Record<string, unknown> {
  return { ...doc.data, ...(doc.body ? { prompt: doc.body } : {}) }
}

/** `.opencode/command/test.md` -> command config entry; the body is the template. */
export function commandFromMarkdown(doc: MarkdownDoc): Record<string, unknown> {
  return { ...doc.data, template: doc.body }
}

function firstLine(s: unknown) {
  return String(s ?? "invalid YAML").split("\n")[0]
}
