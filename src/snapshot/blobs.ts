import { run, type Shadow } from "./shadow"

const ZERO = /^0+$/

/** Reads many blobs with one `cat-file --batch` process; missing ones (submodules) are skipped. */
export async function readBlobs(s: Shadow, shas: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(shas.filter((x) => x && !ZERO.test(x)))]
  const out = new Map<string, string>()
  if (!wanted.length) return out
  const r = await run(s, ["cat-file", "--batch"], wanted.join("\n") + "\n")
  const buf = r.stdout
  const decoder = new TextDecoder()
  let i = 0
  while (i < buf.length) {
    const nl = buf.indexOf(10, i)
    if (nl === -1) break
    const header = decoder.decode(buf.subarray(i, nl)).split(" ")
    i = nl + 1
    if (header[1] === "missing" || header.length < 3) continue
    const size = Number(header[2])
    if (header[1] === "blob") out.set(header[0], decoder.decode(buf.subarray(i, i + size)))
    i += size + 1
  }
  return out
}
