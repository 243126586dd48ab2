/**
 * Keeps the first `headMax` and last `tailMax` characters of a stream of text, counting
 * what falls in between: a command's opening lines and its final errors both survive
 * however much it prints, in bounded memory.
 */
export class HeadTail {
  private head = ""
  private tail = ""
  private droppedChars = 0
  private droppedLines = 0

  constructor(
    readonly headMax: number,
    readonly tailMax: number,
  ) {}

  push(s: string) {
    if (!this.tail && this.head.length < this.headMax) {
      const room = this.headMax - this.head.length
      this.head += s.slice(0, room)
      s = s.slice(room)
    }
    if (!s) return
    this.tail += s
    if (this.tail.length > 2 * this.tailMax) this.drop(this.tail.length - this.tailMax)
  }

  private drop(n: number) {
    this.droppedChars += n
    this.droppedLines += countLines(this.tail.slice(0, n))
    this.tail = this.tail.slice(n)
  }

  get truncated() {
    return this.droppedChars > 0 || this.tail.length > this.tailMax
  }

  /** The kept text; when something was cut, a line saying how much sits where it was. */
  render(): string {
    if (!this.truncated) return this.head + this.tail
    let head = this.head
    let tail = this.tail.slice(this.tail.length - this.tailMax)
    let chars = this.droppedChars + (this.tail.length - tail.length)
    let lines = this.droppedLines + countLines(this.tail.slice(0, this.tail.length - tail.length))
    // Cut at line boundaries so no half line reaches the reader.
    const headEnd = head.lastIndexOf("\n")
    if (headEnd > head.length / 2) {
      chars += head.length - headEnd - 1
      head = head.slice(0, headEnd + 1)
    }
    const tailStart = tail.indexOf("\n")
    if (tailStart !== -1 && tailStart < tail.length / 2) {
      chars += tailStart + 1
      lines += 1
      tail = tail.slice(tailStart + 1)
    }
    if (!head.endsWith("\n")) head += "\n"
    return `${head}\n[... ${chars} characters (about ${lines} lines) omitted from the middle of the output ...]\n\n${tail}`
  }
}

function countLines(s: string) {
  let n = 0
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++
  return n
}
