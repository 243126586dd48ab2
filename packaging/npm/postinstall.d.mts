// Types for the tests, which import the npm postinstall script (plain JavaScript: it runs under
// the user's Node, not Bun).
export function candidates(host: { platform: string; arch: string; musl: boolean; avx2: boolean | undefined }): string[]
