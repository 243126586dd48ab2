import type { Instance } from "../project/instance"
import { ForbiddenError } from "../util/error"
import { limit } from "../global/limits"
import { frames, metaFrame } from "./protocol"
import * as Pty from "./pty"
import { consumeTicket } from "./ticket"

/** The part of Bun's ServerWebSocket a terminal connection uses. */
type Socket = {
  sendText(data: string): number
  sendBinary(data: Uint8Array): number
  getBufferedAmount(): number
  terminate(): void
  close(code?: number, reason?: string): void
}

/** The handlers of one upgraded connection, called through ws.data (see server/websocket.ts). */
export type SocketHandlers = {
  open(ws: Socket): void
  message(ws: Socket, message: string | Uint8Array): void
  close(ws: Socket): void
}

/**
 * Checks a connect request (the terminal exists; a ticket, if given, is live and for this
 * terminal and directory) and returns the handlers for the socket once upgraded: the replay
 * since `cursor`, the cursor frame, then live output; input is written to the terminal.
 */
export function connect(instance: Instance, id: string, opts: { cursor?: number; ticket?: string }): SocketHandlers {
  Pty.get(instance, id)
  if (opts.ticket !== undefined && !consumeTicket(opts.ticket, { ptyID: id, directory: instance.directory }))
    throw new ForbiddenError("PTY connect ticket is invalid, expired, already used or for another terminal")
  let attached: ReturnType<typeof Pty.attach> | undefined
  const backlog = limit("ptyBacklogBytes")
  return {
    open(ws) {
      try {
        attached = Pty.attach(instance, id, opts.cursor ?? 0, {
          // 0 = dropped, or more held for this socket than it may have: a gap would garble the
          // screen, so the client is told to come back with its cursor and gets the missing
          // part as replay. Bun would otherwise buffer up to 16 MB per socket.
          data: (chunk) => {
            if (ws.sendText(chunk) === 0 || ws.getBufferedAmount() > backlog) {
              attached?.detach()
              ws.close(1013, "client too slow: reconnect with the last cursor")
              // The close frame waits behind what the client does not read: if it never does,
              // the connection is dropped outright.
              setTimeout(() => ws.terminate(), limit("streamStallMs")).unref()
            }
          },
          end: () => ws.close(1000, "process exited"),
        })
      } catch {
        // Gone between the HTTP check and the upgrade.
        ws.close(4404, "pty not found")
        return
      }
      for (const f of frames(attached.replay)) ws.sendText(f)
      ws.sendBinary(metaFrame(attached.cursor))
    },
    message(_ws, message) {
      attached?.write(message)
    },
    close() {
      attached?.detach()
    },
  }
}
