// The ripgrep binary embedded in a compiled build. In a source checkout this stays undefined;
// build.ts swaps this module for one importing the TARGET platform's rg `with { type: "file" }`
// (see ripgrep-embed.ts). Keep the export name stable: the build plugin generates it.
export const embeddedRg: string | undefined = undefined
