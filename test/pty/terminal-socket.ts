/** A WebSocket to /pty/:id/connect that collects output text and the cursor frames. */
export function terminalSocket(url: string, init?: { headers?: Record<string, string> }) {
  const ws = new WebSocket(url, init as any)
  ws.binaryType = "arraybuffer"
  let output = ""
  const cursors: number[] = []
  const frames: Array<string | { cursor: number }> = []
  let closed: { code: number; reason: string } | undefined
  let failed = false
  const wake = new Set<() => void>()
  const notify = () => {
    for (const w of wake) w()
  }
  ws.onmessage = (e) => {
    if (typeof e.data === "string") {
      output += e.data
      frames.push(e.data)
    } else {
      const bytes = new Uint8Array(e.data as ArrayBuffer)
      if (bytes[0] !== 0) throw new Error("binary frame without the 0x00 control prefix")
      const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(1)))
      cursors.push(meta.cursor)
      frames.push(meta)
    }
    notify()
  }
  ws.onerror = () => {
    failed = true
    notify()
  }
  ws.onclose = (e) => {
    closed = { code: e.code, reason: e.reason }
    notify()
  }
  async function until(ok: () => boolean, what: string, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs
    while (!ok()) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${what}; output so far: ${JSON.stringify(output.slice(-500))}`)
      await new Promise<void>((r) => {
        const t = setTimeout(done, left)
        function done() {
          clearTimeout(t)
          wake.delete(done)
          r()
        }
        wake.add(done)
      })
    }
  }
  return {
    ws,
    frames,
    cursors,
    get output() {
      return output
    },
    get closed() {
      return closed
    },
    get failed() {
      return failed
    },
    opened: () => until(() => ws.readyState === WebSocket.OPEN || !!closed, "open").then(() => ws.readyState === WebSocket.OPEN),
    /** Resolves once the output matches `pattern`. */
    waitFor: (pattern: RegExp, timeoutMs?: number) => until(() => pattern.test(output), String(pattern), timeoutMs),
    waitCursor: () => until(() => cursors.length > 0, "the cursor frame"),
    waitClosed: (timeoutMs?: number) => until(() => !!closed, "close", timeoutMs).then(() => closed!),
    /** Sends now, or as soon as the socket is open. */
    send(data: string) {
      if (ws.readyState === WebSocket.CONNECTING) ws.addEventListener("open", () => ws.send(data), { once: true })
      else ws.send(data)
    },
    close: () => ws.close(),
  }
}
