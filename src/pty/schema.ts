import { t, type Static } from "../util/schema"

// $id so /doc names each as a component, the way the SDK names the types.
export const Pty = t.Object(
  {
    id: t.String({ pattern: "^pty" }),
    title: t.String(),
    command: t.String(),
    args: t.Array(t.String()),
    cwd: t.String(),
    status: t.Union([t.Literal("running"), t.Literal("exited")]),
    pid: t.Integer({ minimum: 0 }),
  },
  { $id: "Pty" },
)
export type Pty = Static<typeof Pty>

export const PtyCreateInput = t.Object({
  command: t.Optional(t.String({ description: "Program to run (default: the configured or user's shell, as a login shell)" })),
  args: t.Optional(t.Array(t.String())),
  cwd: t.Optional(t.String({ description: "Working directory inside the project (default: the request's directory)" })),
  title: t.Optional(t.String()),
  env: t.Optional(t.Record(t.String(), t.String(), { description: "Added to the server's environment (minus its own credentials)" })),
})
export type PtyCreateInput = Static<typeof PtyCreateInput>

// A winsize field is an unsigned short.
const Dimension = t.Integer({ minimum: 1, maximum: 65535 })

export const PtyUpdateInput = t.Object({
  title: t.Optional(t.String({ minLength: 1 })),
  size: t.Optional(t.Object({ rows: Dimension, cols: Dimension })),
})
export type PtyUpdateInput = Static<typeof PtyUpdateInput>

export const PtyShell = t.Object({ path: t.String(), name: t.String(), acceptable: t.Boolean() })
export type PtyShell = Static<typeof PtyShell>

export const PtyConnectToken = t.Object(
  { ticket: t.String(), expires_in: t.Integer({ minimum: 1, description: "Seconds the ticket stays valid" }) },
  { $id: "PtyTicketConnectToken" },
)
export type PtyConnectToken = Static<typeof PtyConnectToken>
