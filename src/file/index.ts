// The file domain: listing, reading, git status, text search, fuzzy finding, watching.
import { onInstanceCreated } from "../project/instance"
import { startWatcher } from "./project-watcher"
import "./events"

export { listDirectory } from "./list"
export { readFile } from "./read"
export { fileStatus } from "./status"
export { findText } from "./find-text"
export { findFiles, type FindFilesInput } from "./find-files"
export { rgPath } from "./search"
export { startWatcher, watcherOf } from "./project-watcher"

// Every instance watches its tree from creation on, like the real server: the events then
// reach /event and /global/event subscribers alike, and the fuzzy finder's index stays
// current without re-listing the tree.
onInstanceCreated((instance) => void startWatcher(instance))
