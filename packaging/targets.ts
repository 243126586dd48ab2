// Names and facts every channel agrees on. The command is `opencode-bun`, never `opencode`:
// that is the official CLI, and a user may well have both on PATH.
import { PLATFORMS, type Platform } from "../build"

export const COMMAND = "opencode-bun"

export type Target = {
  platform: Platform
  os: "linux" | "darwin" | "windows"
  arch: "x64" | "arm64"
  /** Linux only: which C library the runtime was linked against. */
  libc?: "glibc" | "musl"
  /** Built for x64 CPUs without AVX2. */
  baseline: boolean
  /** The executable's file name inside archives and packages. */
  exe: string
}

export function target(platform: Platform): Target {
  const [os, arch, ...variants] = platform.split("-") as [Target["os"], Target["arch"], ...string[]]
  return {
    platform,
    os,
    arch,
    libc: os === "linux" ? (variants.includes("musl") ? "musl" : "glibc") : undefined,
    baseline: variants.includes("baseline"),
    exe: os === "windows" ? `${COMMAND}.exe` : COMMAND,
  }
}

export const ALL = Object.keys(PLATFORMS) as Platform[]

export const archiveName = (p: Platform) => `${COMMAND}-${p}${p.startsWith("windows") ? ".zip" : ".tar.gz"}`
export const npmPackageName = (p: Platform) => `${COMMAND}-${p}`

/**
 * The .deb for amd64 carries the baseline build: a distribution package must run on every
 * amd64 CPU, and the baseline build costs little where AVX2 exists.
 */
export const DEB: Record<string, Platform> = { amd64: "linux-x64-baseline", arm64: "linux-arm64" }

/** Homebrew (macOS and Linuxbrew, both glibc) picks one archive per OS and CPU. */
export const BREW: { os: "macos" | "linux"; cpu: "arm" | "intel"; platform: Platform }[] = [
  { os: "macos", cpu: "arm", platform: "darwin-arm64" },
  { os: "macos", cpu: "intel", platform: "darwin-x64" },
  { os: "linux", cpu: "arm", platform: "linux-arm64" },
  { os: "linux", cpu: "intel", platform: "linux-x64" },
]

/** The container image is Alpine: the musl builds, by Docker's TARGETARCH. */
export const CONTAINER: Record<string, Platform> = { amd64: "linux-x64-musl", arm64: "linux-arm64-musl" }
