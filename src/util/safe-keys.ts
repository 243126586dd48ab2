// Keys that, merged into an object with `obj[key] = value`, reach its prototype instead of
// making a property: refused in every body a client sends and skipped by every deep merge.
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"])
