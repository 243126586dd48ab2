/**
 * The recent output of one terminal, bounded. Positions are absolute offsets into everything
 * the terminal ever printed (UTF-16 units of the decoded text), so a client can come back with
 * the cursor it was given and get exactly what it missed, as long as that is still held.
 */
export class Scrollback {
  private chunks: string[] = []
  private held = 0
  /** Absolute position just past the last output. */
  end = 0

  constructor(private readonly limit: number) {}

  push(chunk: string) {
    if (!chunk) return
    this.chunks.push(chunk)
    this.held += chunk.length
    this.end += chunk.length
    // Whole chunks are dropped, never sliced: trimming on every write would copy the whole
    // buffer per chunk under heavy output. What is held stays within limit + one chunk.
    while (this.chunks.length > 1 && this.held - this.chunks[0].length >= this.limit) {
      this.held -= this.chunks.shift()!.length
    }
  }

  /** Absolute position of the oldest output still held. */
  get start() {
    return this.end - this.held
  }

  /** Output from `from` on (clamped to what is still held); -1 means "nothing, just the end". */
  since(from: number): string {
    if (from < 0 || from >= this.end) return ""
    const skip = Math.max(0, from - this.start)
    const all = this.chunks.join("")
    return skip ? all.slice(skip) : all
  }
}
