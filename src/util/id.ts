import { randomBytes } from "node:crypto"

// Time-sortable ids: clients order messages and parts by comparing ids as strings, so the
// timestamp goes first (fixed width hex) and a counter keeps ids from the same millisecond
// in creation order.
const PREFIX = {
  session: "ses",
  message: "msg",
  part: "prt",
  permission: "per",
  user: "usr",
  pty: "pty",
  tool: "tool",
  event: "evt",
} as const

export type IdKind = keyof typeof PREFIX

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
let lastTime = 0
let counter = 0

function randomBase62(n: number) {
  const bytes = randomBytes(n)
  let s = ""
  for (let i = 0; i < n; i++) s += ALPHABET[bytes[i] % 62]
  return s
}

export function ascending(kind: IdKind, at = Date.now()) {
  if (at !== lastTime) {
    lastTime = at
    counter = 0
  }
  counter++
  const stamp = BigInt(at) * 0x1000n + BigInt(counter)
  return `${PREFIX[kind]}_${stamp.toString(16).padStart(12, "0").slice(-12)}${randomBase62(14)}`
}

export function prefixOf(kind: IdKind) {
  return PREFIX[kind]
}
