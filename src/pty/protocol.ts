// The PTY WebSocket protocol opencode clients speak: output goes out as text frames of raw
// terminal data; one binary control frame, a 0x00 byte then UTF-8 JSON `{ "cursor": n }`,
// follows the replay and tells the client where to resume (`?cursor=n`) after a reconnect.
// Input comes in as text or binary frames and is written to the terminal unchanged.

const encoder = new TextEncoder()

// Replay can be large; bounded frames keep one client from holding a huge send buffer.
export const REPLAY_CHUNK = 64 * 1024

export function metaFrame(cursor: number): Uint8Array {
  const json = encoder.encode(JSON.stringify({ cursor }))
  const out = new Uint8Array(json.length + 1)
  out.set(json, 1)
  return out
}

/** `text` in frames of at most REPLAY_CHUNK units, never splitting a surrogate pair. */
export function frames(text: string): string[] {
  const out: string[] = []
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + REPLAY_CHUNK, text.length)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--
    out.push(text.slice(i, end))
    i = end
  }
  return out
}
