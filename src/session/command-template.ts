import { runShell } from "../tool/shell"
import { errorMessage } from "../util/error"

// Command templates: `$ARGUMENTS` is the raw argument string, `$1`, `$2`... the quoted-aware
// words of it (the highest placeholder takes every word left over), `` !`cmd` `` is replaced
// by the command's output, and `@path` names a file to attach.

/** How long one !`cmd` may run, and how much of its output is kept. */
export const INLINE_SHELL_TIMEOUT_MS = 30_000
export const INLINE_SHELL_MAX_CHARS = 20_000

/** Splits arguments on whitespace; "double" and 'single' quotes group words, \ escapes outside single quotes. */
export function splitArguments(raw: string): string[] {
  const out: string[] = []
  let word: string | undefined
  let quote: '"' | "'" | undefined
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === "\\" && quote === '"' && (raw[i + 1] === '"' || raw[i + 1] === "\\")) word += raw[++i]
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      word ??= ""
    } else if (c === "\\" && i + 1 < raw.length) {
      word = (word ?? "") + raw[++i]
    } else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word)
      word = undefined
    } else word = (word ?? "") + c
  }
  if (word !== undefined) out.push(word)
  return out
}

/** The template with its argument placeholders filled; without any, the arguments are appended. */
export function applyArguments(template: string, raw: string): string {
  const args = splitArguments(raw)
  const numbers = [...template.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])).filter((n) => n > 0)
  const highest = numbers.length ? Math.max(...numbers) : 0
  const usesAll = template.includes("$ARGUMENTS")
  let text = template.replace(/\$(\d+)/g, (whole, digits: string) => {
    const n = Number(digits)
    if (n === 0) return whole
    if (n === highest) return args.slice(n - 1).join(" ")
    return args[n - 1] ?? ""
  })
  text = text.replaceAll("$ARGUMENTS", raw.trim())
  if (!highest && !usesAll && raw.trim()) text = `${text.trimEnd()}\n\n${raw.trim()}`
  return text
}

/**
 * Replaces each !`cmd` by what the command printed (stdout and stderr), run in `cwd` through
 * the same shell as the bash tool, all at once. Arguments were substituted before, so they may
 * reach these commands: whoever may call the command endpoint may run /shell as well.
 */
export async function expandShell(text: string, cwd: string, signal: AbortSignal): Promise<string> {
  const spans = [...text.matchAll(/!`([^`]+)`/g)]
  if (!spans.length) return text
  const outputs = await Promise.all(spans.map((m) => inlineShell(m[1], cwd, signal)))
  let i = 0
  return text.replace(/!`([^`]+)`/g, () => outputs[i++])
}

async function inlineShell(command: string, cwd: string, signal: AbortSignal): Promise<string> {
  try {
    const run = await runShell(command, { cwd, timeoutMs: INLINE_SHELL_TIMEOUT_MS, signal })
    let out = run.output.render().replace(/\n+$/, "")
    if (out.length > INLINE_SHELL_MAX_CHARS) out = out.slice(0, INLINE_SHELL_MAX_CHARS) + "\n[output cut]"
    if (run.stopped === "timeout") out += `\n[the command timed out after ${INLINE_SHELL_TIMEOUT_MS / 1000} s]`
    return out
  } catch (e) {
    return `[the command could not run: ${errorMessage(e)}]`
  }
}

export type Reference = { name: string; start: number; end: number }

/** `@name` mentions: a path (or an agent's name), not inside a word or `code`. */
export function references(text: string): Reference[] {
  const out: Reference[] = []
  for (const m of text.matchAll(/(?<![\w`@])@(\.{0,2}[\w~\-/][^\s`,;:!?()[\]{}<>"']*)/g)) {
    const name = m[1].replace(/\.+$/, "")
    if (!name) continue
    out.push({ name, start: m.index!, end: m.index! + 1 + name.length })
  }
  return out
}
