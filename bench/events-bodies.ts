// The two paths issue 15 touched, each against a bare Bun.serve ceiling in the same run:
//   events  one bus publish fanned out to 8 /event clients as SSE frames (the `id:` is now
//           `<process tag>-<seq>`): events per second each client receives
//   bodies  POST /log with a 2 KB JSON body (read once, parsed, checked against the schema
//           and for prototype keys): requests per second, sequential on keep-alive
// In-process, loopback; the ceiling servers do the minimum the same protocol needs.
//
//   bun bench/events-bodies.ts   prints the figures and saves bench/results/events-bodies.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { benchRoot } from "./bench-root"

const root = benchRoot("ocb-bench-events-")

const { startServer } = await import("../src/server/server")
const { Bus } = await import("../src/bus")

const CLIENTS = 8
const EVENTS = 40_000
const REQUESTS = 4_000
const ROUNDS = 3

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const dir = fs.mkdtempSync(path.join(root, "proj-"))
const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: dir })
const base = server.url.origin

/** Reads an SSE body until a frame containing `last` arrives; counts frames. */
async function drain(res: Response, last: string) {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let tail = ""
  let frames = 0
  while (true) {
    const { value, done } = await reader.read()
    if (done) break
    const text = tail + decoder.decode(value, { stream: true })
    const cut = text.lastIndexOf("\n\n")
    if (cut < 0) {
      tail = text
      continue
    }
    frames += text.slice(0, cut).split("\n\n").length
    tail = text.slice(cut + 2)
    if (text.includes(last)) break
  }
  reader.cancel().catch(() => {})
  return frames
}

const delta = (i: number) => ({ type: "message.part.delta", properties: { sessionID: "ses_bench", messageID: "msg_bench", partID: "prt_bench", field: "text", delta: `word${i} ` } })

async function eventsOurs() {
  const streams = await Promise.all(Array.from({ length: CLIENTS }, () => fetch(`${base}/event?directory=${encodeURIComponent(dir)}`)))
  const done = streams.map((r) => drain(r, '"end":true'))
  await Bun.sleep(50)
  const t0 = performance.now()
  for (let i = 0; i < EVENTS; i++) {
    Bus.publishRaw(dir, delta(i))
    if (i % 500 === 499) await Bun.sleep(0)
  }
  Bus.publishRaw(dir, { type: "bench.end", properties: { end: true } })
  await Promise.all(done)
  return (EVENTS / (performance.now() - t0)) * 1000
}

// The ceiling: the same frames from a plain ReadableStream per client, no bus, no filters.
async function eventsBare() {
  const controllers = new Set<ReadableStreamDefaultController<Uint8Array>>()
  const enc = new TextEncoder()
  const bare = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    // The first bytes go out at once, as our hello does: fetch() resolves on them.
    fetch: () =>
      new Response(
        new ReadableStream({
          start: (c) => {
            controllers.add(c)
            c.enqueue(enc.encode(": hello\n\n"))
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ),
  })
  const streams = await Promise.all(Array.from({ length: CLIENTS }, () => fetch(`http://127.0.0.1:${bare.port}/`)))
  const done = streams.map((r) => drain(r, '"end":true'))
  await Bun.sleep(50)
  const t0 = performance.now()
  for (let i = 0; i < EVENTS; i++) {
    const frame = enc.encode(`id: ${i}\ndata: ${JSON.stringify(delta(i))}\n\n`)
    for (const c of controllers) c.enqueue(frame)
    if (i % 500 === 499) await Bun.sleep(0)
  }
  for (const c of controllers) c.enqueue(enc.encode(`data: {"end":true}\n\n`))
  await Promise.all(done)
  const rate = (EVENTS / (performance.now() - t0)) * 1000
  bare.stop(true)
  return rate
}

const body = JSON.stringify({ service: "bench", level: "debug", message: "x".repeat(1500), extra: { a: [1, 2, 3], b: { c: "d".repeat(300) } } })

async function post(url: string) {
  const t0 = performance.now()
  for (let i = 0; i < REQUESTS; i++) {
    const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })
    if (r.status !== 200) throw new Error(`${url}: ${r.status} ${await r.text()}`)
    await r.arrayBuffer()
  }
  return (REQUESTS / (performance.now() - t0)) * 1000
}

async function bodiesBare() {
  const bare = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: async (req) => (await req.json(), Response.json(true)) })
  const rate = await post(`http://127.0.0.1:${bare.port}/log`)
  bare.stop(true)
  return rate
}

const results = { events: [] as number[], eventsBare: [] as number[], bodies: [] as number[], bodiesBare: [] as number[] }
await post(`${base}/log`) // warm-up
for (let r = 0; r < ROUNDS; r++) {
  results.eventsBare.push(await eventsBare())
  results.events.push(await eventsOurs())
  results.bodiesBare.push(await bodiesBare())
  results.bodies.push(await post(`${base}/log`))
}
const k = (n: number) => `${(n / 1000).toFixed(1)}k/s`
const e = median(results.events)
const eb = median(results.eventsBare)
const b = median(results.bodies)
const bb = median(results.bodiesBare)
say(`events-bodies (median of ${ROUNDS} rounds, ${os.cpus().length} CPUs)`)
say(`  SSE fan-out, ${CLIENTS} clients x ${EVENTS} events: ${k(e)} per client; bare Bun.serve ${k(eb)}; ratio ${(e / eb).toFixed(2)}`)
say(`  POST /log, 2 KB JSON body, sequential: ${k(b)}; bare Bun.serve + req.json() ${k(bb)}; ratio ${(b / bb).toFixed(2)}`)
fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results", "events-bodies.txt"), lines.join("\n") + "\n")
await server.stop()
process.exit(0)
