import { runShell } from "../tool/shell"
import { BadRequestError, errorMessage } from "../util/error"

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

const SHELL_SPAN = /!`([^`]+)`/g
const PLACEHOLDER = /\$(ARGUMENTS|\d+)/g

type Args = { raw: string; words: string[]; highest: number; usesAll: boolean }

function parseArgs(template: string, raw: string): Args {
  const numbers = [...template.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])).filter((n) => n > 0)
  return { raw: raw.trim(), words: splitArguments(raw), highest: numbers.length ? Math.max(...numbers) : 0, usesAll: template.includes("$ARGUMENTS") }
}

/** One pass, so an argument that itself reads "$ARGUMENTS" or "$2" is never filled in again. */
function substitute(text: string, a: Args, render: (words: string[]) => string): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === "ARGUMENTS") return render(a.raw ? [a.raw] : [])
    const n = Number(name)
    if (n === 0) return whole
    if (n === a.highest) return render(a.words.slice(n - 1))
    return render(a.words[n - 1] === undefined ? [] : [a.words[n - 1]])
  })
}

const asText = (words: string[]) => words.join(" ")
const asShellWords = (words: string[]) => words.map(shellQuote).join(" ")

/** One literal word for the shell that runs !`cmd` (see runShell): nothing in it is interpreted. */
export function shellQuote(word: string): string {
  if (process.platform !== "win32") return `'${word.replaceAll("'", `'\\''`)}'`
  // cmd.exe has no way to quote these inside a word.
  if (/["%!^\r\n]/.test(word)) throw new BadRequestError(`A command argument used in a shell command may not contain ", %, !, ^ or a line break on Windows: ${word}`, "Body")
  return `"${word}"`
}

/** The template with its argument placeholders filled; without any, the arguments are appended. */
export function applyArguments(template: string, raw: string): string {
  const a = parseArgs(template, raw)
  const text = substitute(template, a, asText)
  return !a.highest && !a.usesAll && a.raw ? `${text.trimEnd()}\n\n${a.raw}` : text
}

/**
 * The command's text: arguments filled in, and each of the template's own !`cmd` replaced by
 * what it printed (stdout and stderr), run in `cwd` through the bash tool's shell, all at once.
 * The template is trusted config; the arguments are not. Only the template's spans run, and
 * an argument inside one arrives as a single-quoted word, so no argument ever becomes a
 * command: neither by spelling !`...` nor by carrying `;`, `$()` or quotes into one.
 */
export async function expandCommand(template: string, raw: string, cwd: string, signal: AbortSignal): Promise<string> {
  const a = parseArgs(template, raw)
  // Every piece is filled in (and may be refused) before any command starts.
  const pieces: Array<{ text: string } | { command: string }> = []
  let last = 0
  for (const m of template.matchAll(SHELL_SPAN)) {
    pieces.push({ text: substitute(template.slice(last, m.index), a, asText) })
    pieces.push({ command: substitute(m[1], a, asShellWords) })
    last = m.index! + m[0].length
  }
  pieces.push({ text: substitute(template.slice(last), a, asText) })
  const outputs = await Promise.all(pieces.map((p) => ("command" in p ? inlineShell(p.command, cwd, signal) : p.text)))
  const text = outputs.join("")
  return !a.highest && !a.usesAll && a.raw ? `${text.trimEnd()}\n\n${a.raw}` : text
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
