// Sessions, messages and parts keep their wire JSON in `data`; the columns beside it are the
// keys we look rows up and order them by. Deleting a session removes its messages and parts
// (and, through parent_id, its child sessions) in the same statement.
export const session = {
  id: "0002-session",
  sql: `
    CREATE TABLE session (
      id TEXT PRIMARY KEY,
      project_id TEXT NOT NULL,
      parent_id TEXT REFERENCES session(id) ON DELETE CASCADE,
      directory TEXT NOT NULL,
      time_updated INTEGER NOT NULL,
      data TEXT NOT NULL
    );
    CREATE INDEX session_project ON session (project_id, time_updated);
    CREATE INDEX session_parent ON session (parent_id);

    CREATE TABLE message (
      id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      open INTEGER NOT NULL DEFAULT 0,
      data TEXT NOT NULL
    );
    CREATE INDEX message_session ON message (session_id, id);
    CREATE INDEX message_open ON message (open) WHERE open = 1;

    CREATE TABLE part (
      id TEXT PRIMARY KEY,
      message_id TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
      session_id TEXT NOT NULL,
      data TEXT NOT NULL
    );
    CREATE INDEX part_message ON part (message_id, id);
    CREATE INDEX part_session ON part (session_id, message_id, id);
  `,
}
