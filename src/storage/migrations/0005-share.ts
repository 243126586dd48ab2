// Shared sessions: the SHA-256 of each link's token (unique, the lookup key). Deleting the
// session deletes its share, so the link stops working with it.
export const share = {
  id: "0005-share",
  sql: `
    CREATE TABLE share (
      session_id TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
      token_hash TEXT NOT NULL UNIQUE,
      time_created INTEGER NOT NULL
    );
  `,
}
