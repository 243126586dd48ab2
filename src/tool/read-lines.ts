import fs from "node:fs"

export type Line = { text: string; length: number }

/**
 * The file's lines, each cut to `maxChars` (its full length reported beside it), read in
 * chunks so a huge file, or one enormous line, never has to fit in memory. "\r\n" and "\n"
 * both end a line. Stop iterating to stop reading.
 */
export async function* readLines(file: string, maxChars: number): AsyncGenerator<Line> {
  const stream = fs.createReadStream(file, { highWaterMark: 64 * 1024 })
  const decoder = new TextDecoder()
  let text = ""
  let length = 0
  const append = (s: string) => {
    if (text.length < maxChars) text += s.slice(0, maxChars - text.length)
    length += s.length
  }
  const finish = (): Line => {
    const line = text.endsWith("\r") ? { text: text.slice(0, -1), length: length - 1 } : { text, length }
    text = ""
    length = 0
    return line
  }
  try {
    for await (const chunk of stream) {
      const s = decoder.decode(chunk as Buffer, { stream: true })
      let start = 0
      let nl: number
      while ((nl = s.indexOf("\n", start)) !== -1) {
        append(s.slice(start, nl))
        yield finish()
        start = nl + 1
      }
      append(s.slice(start))
    }
    append(decoder.decode())
    if (length > 0) yield finish()
  } finally {
    stream.destroy()
  }
}
