import type { EmbeddedSite } from "./site"

// The web app built into a compiled executable. In a source checkout this stays undefined and
// the app is bundled from web/ on first use; build.ts swaps this module for one listing the
// built files (see embed.ts), or for `null` when built with --no-web. Keep the export name
// stable: the build plugin generates it.
export const embeddedSite: EmbeddedSite | null | undefined = undefined
