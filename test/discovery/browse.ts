// An independent mDNS browser (multicast-dns, not ciao) run inside the test's namespace: it
// asks for _http._tcp every 300 ms and prints every record it hears as one JSON line.
// @ts-expect-error multicast-dns ships no type declarations
import makeMdns from "multicast-dns"

const iface = process.argv[2]
// Bound to the wildcard: a socket bound to a unicast address never receives multicast.
const mdns = makeMdns({ interface: iface, bind: "0.0.0.0", loopback: false })
const data = (d: unknown) => (Buffer.isBuffer(d) ? d.toString() : Array.isArray(d) ? d.map((x) => (Buffer.isBuffer(x) ? x.toString() : x)) : d)

mdns.on("response", (packet: any, rinfo: any) => {
  for (const r of [...packet.answers, ...packet.additionals]) {
    process.stdout.write(JSON.stringify({ from: rinfo.address, name: r.name, type: r.type, ttl: r.ttl, data: data(r.data) }) + "\n")
  }
})
mdns.on("ready", () => process.stdout.write(JSON.stringify({ ready: true }) + "\n"))
const ask = () => mdns.query({ questions: [{ name: "_http._tcp.local", type: "PTR" }] })
ask()
const timer = setInterval(ask, 300)
// Never outlives the test that started it.
setTimeout(() => process.exit(0), Number(process.argv[3] ?? 20_000))
process.on("SIGTERM", () => {
  clearInterval(timer)
  mdns.destroy()
  process.exit(0)
})
