import fs from "node:fs"
import path from "node:path"

export type FileKind = { kind: "text" } | { kind: "image"; mime: string } | { kind: "binary"; reason: string }

// Known by their bytes, so a misnamed file is still recognised.
const IMAGE_MAGIC: Array<{ mime: string; test(b: Buffer): boolean }> = [
  { mime: "image/png", test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: "image/gif", test: (b) => ["GIF87a", "GIF89a"].includes(b.subarray(0, 6).toString("latin1")) },
  { mime: "image/webp", test: (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP" },
]

const BINARY_EXTENSIONS = new Set(
  (
    "zip gz tgz bz2 xz zst 7z rar tar jar war class dll exe so dylib o a lib obj bin dat wasm pyc pyo " +
    "pdf doc docx xls xlsx ppt pptx odt ods odp sqlite db mp3 mp4 m4a wav flac ogg avi mov mkv webm " +
    "ico bmp tif tiff psd heic woff woff2 ttf otf eot iso dmg img"
  ).split(" "),
)

/** Sniffs the first 8 KB: image by signature, binary by extension, NUL bytes or control-byte density. */
export function fileKind(file: string): FileKind {
  const head = readHead(file, 8192)
  for (const m of IMAGE_MAGIC) if (m.test(head)) return { kind: "image", mime: m.mime }
  const ext = path.extname(file).slice(1).toLowerCase()
  if (BINARY_EXTENSIONS.has(ext)) return { kind: "binary", reason: `.${ext} files are binary` }
  if (head.includes(0)) return { kind: "binary", reason: "it contains NUL bytes" }
  let control = 0
  for (const byte of head) if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12 && byte !== 27) control++
  if (head.length && control / head.length > 0.1) return { kind: "binary", reason: "most of it is not text" }
  return { kind: "text" }
}

function readHead(file: string, size: number): Buffer {
  const fd = fs.openSync(file, "r")
  try {
    const buf = Buffer.alloc(size)
    const n = fs.readSync(fd, buf, 0, size, 0)
    return buf.subarray(0, n)
  } finally {
    fs.closeSync(fd)
  }
}
