import type { ServerWebSocket, WebSocketHandler } from "bun"

type Ws = ServerWebSocket<SocketData>

/** What an upgrade puts in `data`: the handlers of that one connection (see routes/pty.ts). */
export type SocketData = {
  open?(ws: Ws): void
  message?(ws: Ws, message: string | Buffer): void
  close?(ws: Ws, code: number, reason: string): void
  drain?(ws: Ws): void
  ping?(ws: Ws, data: Buffer): void
  pong?(ws: Ws, data: Buffer): void
}

const open = new Set<Ws>()

/**
 * Bun.serve takes one set of WebSocket handlers for the whole server; each connection's own
 * live in ws.data. Elysia's .ws() routes put theirs there the same way, so they work too.
 */
export const websocket: WebSocketHandler<SocketData> = {
  open: (ws) => {
    open.add(ws)
    ws.data.open?.(ws)
  },
  message: (ws, message) => ws.data.message?.(ws, message),
  close: (ws, code, reason) => {
    open.delete(ws)
    ws.data.close?.(ws, code, reason)
  },
  drain: (ws) => ws.data.drain?.(ws),
  ping: (ws, data) => ws.data.ping?.(ws, data),
  pong: (ws, data) => ws.data.pong?.(ws, data),
}

/** At shutdown: an open socket would hold server.stop(false) until its deadline. */
export function closeAllSockets() {
  for (const ws of open) ws.close(1001, "server shutting down")
  open.clear()
}

export function openSocketCount() {
  return open.size
}
