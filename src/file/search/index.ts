// The one search engine: ripgrep when it can run (rg-path.ts finds it, rg-run.ts is the only
// place it is spawned), the walker (walk.ts) when it cannot, under the same ignore rules
// (rules.ts). It serves /find (find-text.ts), /find/file (file-index.ts) and the grep, glob,
// list and read-suggestion tools.
export { rgPath } from "./rg-path"
export { listFiles, type ListFilesOptions, type ListedFiles } from "./list-files"
export { searchText, ripgrepTextArgs } from "./text"
export { SearchPatternError, type LineMatch, type SearchTextOptions, type TextResult } from "./types"
export { walk, type WalkEntry, type WalkOptions } from "./walk"
export { rulesFor } from "./rules"
export { globMatcher } from "./glob"
