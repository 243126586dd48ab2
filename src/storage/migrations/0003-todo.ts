// No foreign key to session: the session table may be created by a later migration, and
// the session domain deletes a session's todos itself (deleteTodos).
export const todo = {
  id: "0003-todo",
  sql: `
    CREATE TABLE todo (
      session_id TEXT PRIMARY KEY,
      data TEXT NOT NULL,
      time_updated INTEGER NOT NULL
    );
  `,
}
