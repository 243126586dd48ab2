import { BadRequestError } from "../util/error"
import type { ConsoleOrg, ConsoleState } from "./schema"

// OpenCode Console is the hosted service whose orgs can hand out provider credentials. This
// server never signs in to it: credentials come from auth.json, env vars and config alone, so
// no provider is Console-managed and there is no org to list or switch to.

export function consoleState(): ConsoleState {
  return { consoleManagedProviders: [], switchableOrgCount: 0 }
}

export function consoleOrgs(): { orgs: ConsoleOrg[] } {
  return { orgs: [] }
}

export function switchConsoleOrg(input: { accountID: string; orgID: string }): never {
  throw new BadRequestError(
    `Cannot switch to Console org "${input.orgID}" of account "${input.accountID}": this server is not signed in to OpenCode Console and has no orgs`,
    "Body",
  )
}
