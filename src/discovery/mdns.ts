import os from "node:os"
import { createLog } from "../util/log"

const log = createLog("mdns")

export type MdnsHandle = { name: () => string; stop: () => Promise<void> }

/** "opencode.local" -> host "opencode", domain "local" (ciao appends the domain itself). */
export function splitDomain(fqdn: string) {
  const clean = fqdn.replace(/\.+$/, "")
  const i = clean.lastIndexOf(".")
  return i <= 0 ? { hostname: clean, domain: "local" } : { hostname: clean.slice(0, i), domain: clean.slice(i + 1) }
}

/**
 * ciao finds interfaces through `ip -o link show`, keeps their `@ifN` suffixes (veth pairs,
 * containers) and then ignores them. Naming the interfaces ourselves avoids that.
 */
function interfaces(): string[] {
  return Object.entries(os.networkInterfaces())
    .filter(([, addrs]) => addrs?.some((a) => !a.internal))
    .map(([name]) => name)
}

export async function advertise(opts: { port: number; domain: string; hostname: string }): Promise<MdnsHandle> {
  const { getResponder } = await import("@homebridge/ciao")
  const ifaces = interfaces()
  const responder = getResponder(ifaces.length ? { interface: ifaces } : undefined)
  const { hostname, domain } = splitDomain(opts.domain)
  const bound = opts.hostname === "0.0.0.0" || opts.hostname === "::" ? undefined : [opts.hostname]
  const service = responder.createService({
    name: `opencode-${opts.port}`,
    type: "http",
    port: opts.port,
    hostname,
    domain,
    txt: { path: "/" },
    ...(bound ? { restrictedAddresses: bound } : {}),
  })
  // Another server may already hold the name on the network: ciao renames ours ("(2)").
  service.on("name-change" as any, (name: string) => log.info("service renamed after a conflict", { name }))
  await service.advertise()
  log.info("advertising", { name: service.getFQDN(), port: opts.port })
  return {
    name: () => service.getFQDN(),
    async stop() {
      try {
        await service.end()
        await service.destroy()
      } catch (e) {
        log.warn("withdraw failed", { error: e })
      }
      await responder.shutdown().catch(() => {})
    },
  }
}
