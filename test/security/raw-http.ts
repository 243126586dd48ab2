// A raw HTTP/1.1 exchange: the exact request line and headers, as an attacker would send them
// (fetch() normalises paths and rewrites Host; these tests need what it would not send).

export type RawResponse = { status: number; headers: string; body: string }

export async function rawRequest(port: number, head: { method?: string; target: string; headers?: Record<string, string> }, body = "", waitMs = 1500): Promise<RawResponse> {
  let buf = ""
  let closed!: () => void
  const done = new Promise<void>((r) => (closed = r))
  const sock = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_s, d) {
        buf += d.toString()
      },
      close() {
        closed()
      },
      error() {
        closed()
      },
    },
  })
  const headers = { host: `127.0.0.1:${port}`, connection: "close", ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}), ...head.headers }
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`)
  sock.write(`${head.method ?? "GET"} ${head.target} HTTP/1.1\r\n${lines.join("")}\r\n${body}`)
  // Event streams never end: what arrived within the window is enough to judge.
  await Promise.race([done, Bun.sleep(waitMs)])
  sock.end()
  const split = buf.indexOf("\r\n\r\n")
  return { status: Number(buf.slice(9, 12)), headers: buf.slice(0, split), body: buf.slice(split + 4) }
}
