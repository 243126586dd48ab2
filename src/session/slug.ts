// A short readable name for a session (opencode 1.18 shows one beside the id). Derived from
// the id, so sessions stored before slugs existed get the same one on every read.
const ADJECTIVES = [
  "amber", "brave", "calm", "clever", "cosmic", "crisp", "daring", "eager", "fancy", "gentle", "glad", "golden",
  "happy", "hidden", "jolly", "keen", "kind", "lively", "lucky", "mellow", "merry", "misty", "nimble", "noble",
  "plucky", "quick", "quiet", "rapid", "shiny", "silent", "steady", "swift", "tidy", "vivid", "witty", "zesty",
]
const NOUNS = [
  "badger", "beacon", "canyon", "comet", "cedar", "falcon", "fern", "galaxy", "harbor", "island", "lagoon", "lantern",
  "maple", "meadow", "meteor", "nebula", "orchid", "otter", "panda", "pebble", "pine", "planet", "prairie", "quasar",
  "river", "rocket", "sailor", "squid", "star", "summit", "tiger", "tulip", "valley", "walrus", "willow", "wizard",
]

export function slugFor(id: string): string {
  // FNV-1a over the id: cheap, stable, and spread well enough for three picks.
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0
  const a = ADJECTIVES[h % ADJECTIVES.length]
  const n = NOUNS[Math.floor(h / ADJECTIVES.length) % NOUNS.length]
  return `${a}-${n}-${(h >>> 20) % 100}`
}
