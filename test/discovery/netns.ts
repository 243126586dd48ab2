// A tiny private network for mDNS tests: two "hosts" (namespaces a and b) and a browser
// (namespace c) joined by a bridge that lives inside c. Every interface and address exists
// only inside namespaces created here, so no packet reaches a real network.

export type Lab = {
  /** Namespace names. */
  a: string
  b: string
  c: string
  /** Addresses: a and b are the servers, c the browser. */
  ip: { a: string; b: string; c: string }
  /** Command prefix that runs something inside a namespace. */
  exec: (ns: string) => string[]
  destroy: () => void
}

function ip(args: string[]) {
  const r = Bun.spawnSync(["ip", ...args], { stdout: "pipe", stderr: "pipe" })
  if (r.exitCode !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr.toString().trim() || `exit ${r.exitCode}`}`)
}

/** Why network namespaces cannot be used here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== "linux") return "network namespaces exist only on Linux"
  if (Bun.which("ip") === null) return "the `ip` command (iproute2) is not installed"
  const probe = `ocb-probe-${process.pid}`
  try {
    ip(["netns", "add", probe])
  } catch (e) {
    return `\`ip netns add\` is not permitted here (${(e as Error).message.split(": ").pop()})`
  }
  try {
    ip(["netns", "del", probe])
  } catch {}
  return undefined
}

export function createLab(): Lab {
  const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 2).toString(36)}`
  const a = `ocb-${tag}-a`
  const b = `ocb-${tag}-b`
  const c = `ocb-${tag}-c`
  const net = "10.213.7"
  const lab: Lab = {
    a,
    b,
    c,
    ip: { a: `${net}.1`, b: `${net}.2`, c: `${net}.3` },
    exec: (ns) => ["ip", "netns", "exec", ns],
    destroy() {
      for (const ns of [a, b, c]) {
        try {
          ip(["netns", "del", ns])
        } catch {}
      }
    },
  }
  // Even a test process that dies before its afterAll leaves no namespace behind.
  process.once("exit", () => lab.destroy())
  try {
    for (const ns of [a, b, c]) ip(["netns", "add", ns])
    // Created straight inside the namespaces: nothing ever appears in the host's own stack.
    ip(["-n", c, "link", "add", "br0", "type", "bridge", "forward_delay", "0", "mcast_snooping", "0"])
    for (const [ns, port] of [
      [a, "pa"],
      [b, "pb"],
    ]) {
      ip(["-n", c, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns])
      ip(["-n", c, "link", "set", port, "master", "br0", "up"])
      ip(["-n", ns, "addr", "add", `${ns === a ? lab.ip.a : lab.ip.b}/24`, "dev", "eth0"])
      ip(["-n", ns, "link", "set", "eth0", "up"])
      ip(["-n", ns, "link", "set", "lo", "up"])
      ip(["-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0"])
    }
    ip(["-n", c, "addr", "add", `${lab.ip.c}/24`, "dev", "br0"])
    ip(["-n", c, "link", "set", "br0", "up"])
    ip(["-n", c, "link", "set", "lo", "up"])
    ip(["-n", c, "route", "add", "224.0.0.0/4", "dev", "br0"])
  } catch (e) {
    lab.destroy()
    throw e
  }
  return lab
}
