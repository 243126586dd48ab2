import { createHash, randomBytes } from "node:crypto"

// 256 random bits, base64url: 43 characters, safe in a URL path segment.
const BYTES = 32
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export function mintToken(): string {
  return randomBytes(BYTES).toString("base64url")
}

/**
 * Tokens are stored and looked up by their SHA-256: the lookup compares hashes, so its
 * timing says nothing useful about the secret, and a leaked database holds no live links.
 */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex")
}
