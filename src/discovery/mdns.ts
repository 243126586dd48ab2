import os from "node:os"
import type { CiaoService, Responder } from "@homebridge/ciao"
import { createLog } from "../util/log"

const log = createLog("mdns")

export type Advertised = { name: string; host: string }

export type MdnsHandle = {
  /** Resolves with what is advertised (renamed after a conflict), or undefined if it failed. */
  ready: Promise<Advertised | undefined>
  /** Withdraws the service (goodbye packets) and closes the sockets. */
  stop: () => Promise<void>
}

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

/**
 * Advertises `_http._tcp` as `opencode-<port>` on the given host name. Probing and the first
 * announcements take a few seconds, so this returns at once and advertises in the background:
 * the server is already answering meanwhile.
 */
export function advertise(opts: { port: number; domain: string; hostname: string }): MdnsHandle {
  let responder: Responder | undefined
  let service: CiaoService | undefined
  const ready = (async () => {
    const { getResponder } = await import("@homebridge/ciao")
    const ifaces = interfaces()
    responder = getResponder(ifaces.length ? { interface: ifaces } : undefined)
    const { hostname, domain } = splitDomain(opts.domain)
    const bound = opts.hostname === "0.0.0.0" || opts.hostname === "::" ? undefined : [opts.hostname]
    let name = `opencode-${opts.port}`
    service = responder.createService({
      name,
      type: "http",
      port: opts.port,
      hostname,
      domain,
      txt: { path: "/" },
      ...(bound ? { restrictedAddresses: bound } : {}),
    })
    // Another server may already hold the name on the network: ciao renames ours ("(2)").
    service.on("name-change", (renamed: string) => {
      name = renamed
      log.info("service renamed after a conflict", { name })
    })
    await service.advertise()
    const host = service.getHostname().replace(/\.$/, "")
    log.info("advertising", { name: service.getFQDN(), host, port: opts.port })
    return { name, host }
  })().catch((e) => {
    log.warn("mDNS advertising failed; serving without it", { error: e })
    return undefined
  })
  let stopping: Promise<void> | undefined
  return {
    ready,
    stop() {
      stopping ??= (async () => {
        try {
          // Ends probing if it is still under way, otherwise sends the goodbye packets.
          await service?.end()
          await service?.destroy()
        } catch (e) {
          log.warn("withdraw failed", { error: e })
        }
        await responder?.shutdown().catch(() => {})
      })()
      return stopping
    },
  }
}
