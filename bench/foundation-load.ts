// HTTP/1.1 load generator, run as its own process so it does not share an event loop with the
// server it measures. Raw keep-alive sockets (one request in flight per connection) cost far
// less than fetch, so the client is less likely to be the bottleneck.
//
//   bun bench/foundation-load.ts <url> <connections> <maxRequests> <maxSeconds>
// Prints one JSON line: { requests, errors, seconds, rps, p50, p99 } (latencies in ms).
export {}

const [url, connArg = "32", maxArg = "50000", secArg = "5"] = Bun.argv.slice(2)
const target = new URL(url)
if (target.hostname !== "127.0.0.1" && target.hostname !== "localhost") throw new Error("load is only ever sent to loopback")
const connections = Number(connArg)
const maxRequests = Number(maxArg)
const deadline = performance.now() + Number(secArg) * 1000
const request = new TextEncoder().encode(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: application/json\r\n\r\n`)
const decoder = new TextDecoder()

let sent = 0
let done = 0
let errors = 0
const latencies: number[] = []
const t0 = performance.now()

function connection(): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = ""
    let started = 0
    const next = (socket: { write: (b: Uint8Array) => number; end: () => void }) => {
      if (sent >= maxRequests || performance.now() > deadline) {
        socket.end()
        return resolve()
      }
      sent++
      started = performance.now()
      socket.write(request)
    }
    Bun.connect({
      hostname: target.hostname,
      port: Number(target.port),
      socket: {
        open: next,
        data(socket, chunk) {
          buf += decoder.decode(chunk)
          while (true) {
            const head = buf.indexOf("\r\n\r\n")
            if (head < 0) return
            const m = /content-length:\s*(\d+)/i.exec(buf.slice(0, head))
            if (!m) return reject(new Error("response without content-length: " + buf.slice(0, head)))
            const end = head + 4 + Number(m[1])
            if (buf.length < end) return
            if (!buf.startsWith("HTTP/1.1 200")) errors++
            buf = buf.slice(end)
            done++
            latencies.push(performance.now() - started)
            next(socket)
          }
        },
        close: () => resolve(),
        error: (_s, e) => reject(e),
      },
    }).catch(reject)
  })
}

await Promise.all(Array.from({ length: connections }, connection))
const seconds = (performance.now() - t0) / 1000
latencies.sort((a, b) => a - b)
const pct = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(2))
console.log(JSON.stringify({ requests: done, errors, seconds: Number(seconds.toFixed(2)), rps: Math.round(done / seconds), p50: pct(0.5), p99: pct(0.99) }))
