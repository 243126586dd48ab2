// What the serving code works with, whichever way the files were produced: bundled and
// compressed at build time and embedded in the executable (embed.ts), or bundled in-process
// from web/ when running from source (bundle.ts).

/** One file of the built app, addressed by its path relative to the app root ("index.html", "assets/index-1a2b3c4d.js"). */
export type SiteFile = {
  type: string
  /** Strong validator of the uncompressed bytes; each encoding gets its own suffix. */
  etag: string
  identity: Body
  gzip?: Body
  br?: Body
}

/** Bytes in memory (from source), or a path inside the executable (embedded). */
export type Body = Uint8Array | { path: string; size: number }

export type Site = Map<string, SiteFile>

/** The generated module's shape (see embed.ts): paths into the executable's own file system. */
export type EmbeddedSite = Array<{ path: string; type: string; etag: string; identity: Body; gzip?: Body; br?: Body }>

/** The app's entry: every HTML navigation gets it. */
export const INDEX = "index.html"
/** Where the bundler writes hashed files, and the one URL folder they are served from. */
export const ASSET_DIR = "assets"
