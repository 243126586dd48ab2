// The ChatGPT Codex endpoint takes the Responses API with a few differences: nothing is stored
// server-side, the system prompt goes in `instructions`, and output limits are refused.
export function codexBody(body: unknown): unknown {
  if (typeof body !== "string") return body
  let parsed: any
  try {
    parsed = JSON.parse(body)
  } catch {
    return body
  }
  if (!parsed || typeof parsed !== "object") return body
  parsed.store = false
  delete parsed.max_output_tokens
  if (Array.isArray(parsed.input) && !parsed.instructions) {
    const system = parsed.input.filter((m: any) => m?.role === "system" || m?.role === "developer")
    if (system.length) {
      parsed.instructions = system.map((m: any) => (typeof m.content === "string" ? m.content : (m.content ?? []).map((c: any) => c.text ?? "").join(""))).join("\n\n")
      parsed.input = parsed.input.filter((m: any) => !system.includes(m))
    }
  }
  return JSON.stringify(parsed)
}
