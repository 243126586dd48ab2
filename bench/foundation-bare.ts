// The ceiling: a bare Bun.serve hello-world on loopback. Prints its port on stdout.
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("hello world") })
console.log(server.port)
process.on("SIGTERM", () => {
  server.stop(true)
  process.exit(0)
})
