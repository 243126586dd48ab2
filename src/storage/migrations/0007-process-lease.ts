// Several server processes may share one data directory. Each live one keeps a row in `process`
// with a heartbeat; each session a process is running a prompt in has a row in `session_run`
// naming it. Crash recovery closes only what a process that is gone left open.
export const processLease = {
  id: "0007-process-lease",
  sql: `
    CREATE TABLE process (
      id TEXT PRIMARY KEY,
      pid INTEGER NOT NULL,
      started TEXT,
      heartbeat INTEGER NOT NULL
    );
    CREATE TABLE session_run (
      session_id TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
      owner TEXT NOT NULL
    );
  `,
}
