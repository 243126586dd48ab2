// The ceiling: a bare Bun.serve hello-world on loopback, compiled like the server so the two
// compare like for like. `--port N` (default: a free one); prints the port on stdout.
const i = Bun.argv.indexOf("--port")
const server = Bun.serve({ port: i > 0 ? Number(Bun.argv[i + 1]) : 0, hostname: "127.0.0.1", fetch: () => new Response("hello world") })
console.log(server.port)
process.on("SIGTERM", () => {
  server.stop(true)
  process.exit(0)
})
