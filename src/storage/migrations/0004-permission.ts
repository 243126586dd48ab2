export const permission = {
  id: "0004-permission",
  sql: `
    CREATE TABLE permission (
      id TEXT PRIMARY KEY,
      directory TEXT NOT NULL,
      session_id TEXT NOT NULL,
      message_id TEXT NOT NULL,
      call_id TEXT,
      type TEXT NOT NULL,
      pattern TEXT,
      title TEXT NOT NULL,
      metadata TEXT NOT NULL DEFAULT '{}',
      status TEXT NOT NULL,
      response TEXT,
      time_created INTEGER NOT NULL,
      time_replied INTEGER
    );
    CREATE INDEX permission_pending ON permission (status) WHERE status = 'pending';
    CREATE INDEX permission_session ON permission (session_id);
    CREATE TABLE permission_approval (
      session_id TEXT NOT NULL,
      type TEXT NOT NULL,
      pattern TEXT NOT NULL,
      time_created INTEGER NOT NULL,
      PRIMARY KEY (session_id, type, pattern)
    );
  `,
}
