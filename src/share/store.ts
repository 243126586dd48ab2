import { database } from "../storage/db"

// One row per shared session: the token's hash, never the token itself.

export function put(sessionID: string, tokenHash: string) {
  database()
    .query("INSERT INTO share (session_id, token_hash, time_created) VALUES (?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET token_hash = excluded.token_hash, time_created = excluded.time_created")
    .run(sessionID, tokenHash, Date.now())
}

export function hashOf(sessionID: string): string | undefined {
  return database().query<{ token_hash: string }, [string]>("SELECT token_hash FROM share WHERE session_id = ?").get(sessionID)?.token_hash
}

export function sessionOf(tokenHash: string): string | undefined {
  return database().query<{ session_id: string }, [string]>("SELECT session_id FROM share WHERE token_hash = ?").get(tokenHash)?.session_id
}

export function remove(sessionID: string) {
  database().query("DELETE FROM share WHERE session_id = ?").run(sessionID)
}
