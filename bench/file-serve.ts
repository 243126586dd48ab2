// Starts the server from source for the file benchmarks (a separate process, so its CPU
// time is its own) and prints its URL. Usage: bun bench/file-serve.ts <project dir>
import { startServer } from "../src/server/server"

const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: process.argv[2] })
console.log(server.url.origin)
process.on("SIGTERM", async () => {
  await server.stop()
  process.exit(0)
})
