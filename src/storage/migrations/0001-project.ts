export const project = {
  id: "0001-project",
  sql: `
    CREATE TABLE project (
      id TEXT PRIMARY KEY,
      worktree TEXT NOT NULL,
      vcs TEXT,
      time_created INTEGER NOT NULL,
      time_initialized INTEGER,
      data TEXT NOT NULL DEFAULT '{}'
    );
  `,
}
