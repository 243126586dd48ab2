import { t } from "../util/schema"
import DESCRIPTION from "./webfetch.txt" with { type: "text" }
import { defineTool, ToolError, type ToolAttachment } from "./tool"
import { htmlToMarkdown, htmlToText } from "./webfetch-convert"

export const MAX_BYTES = 5 * 1024 * 1024
export const MAX_OUTPUT_CHARS = 100_000
const DEFAULT_TIMEOUT = 30
const MAX_TIMEOUT = 120

const ACCEPT = {
  markdown: "text/markdown;q=1.0, text/html;q=0.9, text/plain;q=0.8, */*;q=0.1",
  text: "text/plain;q=1.0, text/html;q=0.9, */*;q=0.1",
  html: "text/html;q=1.0, application/xhtml+xml;q=0.9, */*;q=0.1",
}

export const webfetchTool = defineTool({
  id: "webfetch",
  description: DESCRIPTION,
  parameters: t.Object({
    url: t.String({ description: "The http:// or https:// URL to fetch" }),
    format: t.Optional(t.Union([t.Literal("markdown"), t.Literal("text"), t.Literal("html")], { description: 'How to return HTML: "markdown" (default), "text" or "html"' })),
    timeout: t.Optional(t.Number({ description: `Seconds before giving up (default ${DEFAULT_TIMEOUT}, at most ${MAX_TIMEOUT})` })),
  }),
  async execute(args, ctx) {
    const url = parseUrl(args.url)
    const format = args.format ?? "markdown"
    const seconds = Math.min(Math.max(args.timeout ?? DEFAULT_TIMEOUT, 1), MAX_TIMEOUT)
    await ctx.ask({ type: "webfetch", pattern: url.href, title: `Fetch ${url.href}`, metadata: { url: url.href, format, timeout: seconds } })

    const timeout = AbortSignal.timeout(seconds * 1000)
    let res: Response
    try {
      res = await fetch(url, {
        signal: AbortSignal.any([ctx.abort, timeout]),
        redirect: "follow",
        headers: { "user-agent": "opencode-bun (webfetch)", accept: ACCEPT[format], "accept-language": "en-US,en;q=0.9" },
      })
    } catch (e) {
      throw fetchError(e, url, seconds, ctx.abort, timeout)
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {})
      throw new ToolError(`${url.href} answered HTTP ${res.status}${res.statusText ? " " + res.statusText : ""}; there is no content to return.`)
    }
    const type = (res.headers.get("content-type") ?? "").toLowerCase()
    const declared = Number(res.headers.get("content-length") ?? 0)
    if (declared > MAX_BYTES) {
      await res.body?.cancel().catch(() => {})
      throw tooLarge(url)
    }
    const body = await readCapped(res, url, seconds, ctx.abort, timeout)
    const mime = type.split(";")[0].trim()
    const title = `${url.href} (${mime || "unknown type"})`

    if (mime.startsWith("image/") && mime !== "image/svg+xml") {
      const attachment: ToolAttachment = { type: "file", mime, url: `data:${mime};base64,${Buffer.from(body).toString("base64")}`, filename: url.pathname.split("/").pop() || "image" }
      return { title, output: `Fetched an image (${mime}, ${body.length} bytes); it is attached.`, attachments: [attachment], metadata: { url: url.href, contentType: mime, bytes: body.length } }
    }
    if (!isTextual(mime) && body.includes(0))
      throw new ToolError(`${url.href} returned binary content (${mime || "no content type"}) that cannot be shown as text.`)

    const text = decode(body, type)
    const html = mime.includes("html") || (!mime && /^\s*<(!doctype html|html)/i.test(text))
    const converted = !html || format === "html" ? text : format === "markdown" ? await htmlToMarkdown(text) : await htmlToText(text)
    const truncated = converted.length > MAX_OUTPUT_CHARS
    const output = truncated
      ? converted.slice(0, MAX_OUTPUT_CHARS) + `\n\n[Content cut off after ${MAX_OUTPUT_CHARS} of ${converted.length} characters.]`
      : converted
    return { title, output, metadata: { url: url.href, contentType: mime, bytes: body.length, truncated } }
  },
})

function parseUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new ToolError(`"${raw}" is not a valid URL; give a full http:// or https:// address.`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ToolError(`Only http:// and https:// URLs can be fetched, not ${url.protocol}//.`)
  return url
}

function fetchError(e: unknown, url: URL, seconds: number, abort: AbortSignal, timeout: AbortSignal): ToolError {
  if (abort.aborted) return new ToolError("The fetch was cancelled because the session was aborted.")
  if (timeout.aborted) return new ToolError(`Fetching ${url.href} timed out after ${seconds} s.`)
  const reason = e instanceof Error ? (e as any).code ?? e.message : String(e)
  return new ToolError(
    `Could not reach ${url.host} (${reason}). The machine may be offline, or the host is down, unknown or blocked. Do not retry in a loop.`,
  )
}

function tooLarge(url: URL) {
  return new ToolError(`${url.href} is larger than ${MAX_BYTES / 1024 / 1024} MB, the most webfetch reads.`)
}

async function readCapped(res: Response, url: URL, seconds: number, abort: AbortSignal, timeout: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  if (!res.body) return new Uint8Array()
  const reader = res.body.getReader()
  try {
    while (true) {
      const { value, done } = await reader.read()
      if (done) break
      size += value.length
      if (size > MAX_BYTES) {
        await reader.cancel().catch(() => {})
        throw tooLarge(url)
      }
      chunks.push(value)
    }
  } catch (e) {
    if (e instanceof ToolError) throw e
    throw fetchError(e, url, seconds, abort, timeout)
  }
  return Buffer.concat(chunks)
}

function isTextual(mime: string) {
  return !mime || mime.startsWith("text/") || /json|xml|javascript|ecmascript|yaml|toml|csv|markdown|x-sh/.test(mime)
}

function decode(body: Uint8Array, contentType: string) {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType)?.[1]
  try {
    return new TextDecoder(charset || "utf-8").decode(body)
  } catch {
    return new TextDecoder("utf-8").decode(body)
  }
}
