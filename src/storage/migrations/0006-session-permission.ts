// Permission rules a client attached to a session when creating it (opencode 1.18 sends
// `permission: [{permission, pattern, action}]`). They go with the session.
export const sessionPermission = {
  id: "0006-session-permission",
  sql: `
    CREATE TABLE session_permission (
      session_id TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
      rules TEXT NOT NULL
    );
  `,
}
