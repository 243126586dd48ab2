/** Reads an SSE response into parsed events; `next(pred)` waits for the first match. */
export function sseReader(res: Response) {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buf = ""
  const events: Array<{ id?: string; data: any }> = []
  let waiters: Array<() => void> = []
  let done = false
  ;(async () => {
    try {
      while (true) {
        const { value, done: d } = await reader.read()
        if (d) break
        buf += decoder.decode(value, { stream: true })
        let i
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const raw = buf.slice(0, i)
          buf = buf.slice(i + 2)
          let id: string | undefined
          const data: string[] = []
          for (const line of raw.split("\n")) {
            if (line.startsWith("id:")) id = line.slice(3).trim()
            else if (line.startsWith("data:")) data.push(line.slice(5).trimStart())
          }
          if (data.length) events.push({ id, data: JSON.parse(data.join("\n")) })
        }
        for (const w of waiters.splice(0)) w()
      }
    } catch {}
    done = true
    for (const w of waiters.splice(0)) w()
  })()
  return {
    events,
    get closed() {
      return done
    },
    async next(pred: (e: { id?: string; data: any }) => boolean, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      let seen = 0
      while (true) {
        for (; seen < events.length; seen++) if (pred(events[seen])) return events[seen]
        if (done) throw new Error("stream closed before a matching event")
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${events.map((e) => e.data?.type ?? e.data?.payload?.type).join(", ")}`)
        await new Promise<void>((r) => {
          const t = setTimeout(r, left)
          waiters.push(() => (clearTimeout(t), r()))
        })
      }
    },
    async waitClosed(timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs
      while (!done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      return done
    },
    cancel: () => reader.cancel().catch(() => {}),
  }
}

/** An event id's place in its process's sequence (ids are `<process tag>-<seq>`). */
export function seqOf(id: string | undefined): number {
  const m = /^[0-9a-z]+-(\d+)$/.exec(id ?? "")
  if (!m) throw new Error(`not an event id: ${id}`)
  return Number(m[1])
}
