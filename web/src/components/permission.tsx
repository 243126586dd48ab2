import { useState } from "preact/hooks"
import { answerPermission, fail } from "../actions"
import type { PermissionRequest } from "../types"

export function PermissionCard({ req }: { req: PermissionRequest }) {
  const [busy, setBusy] = useState(false)
  const answer = (response: "once" | "always" | "reject") => {
    setBusy(true)
    answerPermission(req, response).catch((err) => {
      setBusy(false)
      fail(err)
    })
  }
  const what = req.title ?? `${req.permission}${req.patterns.length ? `: ${req.patterns.join(", ")}` : ""}`
  return (
    <div class="permission" role="group" aria-label={`Permission request: ${what}`} data-testid="permission">
      <div>
        <strong>Permission needed</strong> <span class="badge">{req.permission}</span>
      </div>
      <div class="permission-what">{what}</div>
      <div class="row">
        <button class="primary" disabled={busy} onClick={() => answer("once")} data-testid="permission-once">
          Allow once
        </button>
        <button disabled={busy} onClick={() => answer("always")} data-testid="permission-always">
          Allow always
        </button>
        <button class="danger" disabled={busy} onClick={() => answer("reject")} data-testid="permission-reject">
          Reject
        </button>
      </div>
    </div>
  )
}
