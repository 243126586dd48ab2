import { endpoint } from "./endpoints"
import { pollDeviceToken } from "./device"
import { SignInError, USER_AGENT, describe, post } from "./http"
import { bearerFetch } from "./refresh"
import type { AuthHook } from "./registry"
import type { Auth } from "../schema"
import { copilotModels } from "./copilot-models"

// GitHub Copilot: GitHub's device flow with the client id opencode publishes. The GitHub
// token itself is the bearer for the Copilot API (it does not expire, so nothing to refresh).

const CLIENT_ID = "Ov23li8tweQw6odWQebz"

/** "company.ghe.com", "https://company.ghe.com/" → "company.ghe.com". */
export function enterpriseDomain(input: string): string | undefined {
  const raw = input.trim()
  if (!raw) return undefined
  try {
    const u = new URL(raw.includes("://") ? raw : `https://${raw}`)
    return u.hostname && !u.hostname.includes("_") ? u.host : undefined
  } catch {
    return undefined
  }
}

export function copilotBase(domain: string | undefined) {
  return domain ? `https://copilot-api.${domain}` : "https://api.githubcopilot.com"
}

// Who started this request: the person typing, or the agent continuing after a tool call.
// Copilot bills the two differently.
function initiator(body: unknown): "user" | "agent" {
  try {
    const parsed = typeof body === "string" ? JSON.parse(body) : undefined
    const items: any[] = parsed?.messages ?? parsed?.input ?? []
    const last = items[items.length - 1]
    return last?.role === "user" ? "user" : "agent"
  } catch {
    return "agent"
  }
}

function hasImage(body: unknown) {
  return typeof body === "string" && /"type":"(image_url|input_image)"/.test(body)
}

function baseOf(auth: Auth) {
  const domain = auth.type === "oauth" && auth.enterpriseUrl ? enterpriseDomain(auth.enterpriseUrl) : undefined
  return copilotBase(domain)
}

export const copilot: AuthHook = {
  provider: "github-copilot",
  models: (models, auth) => (auth.type === "oauth" ? copilotModels(baseOf(auth), models, auth) : models),
  methods: [
    {
      type: "oauth",
      label: "Login with GitHub Copilot",
      prompts: [
        {
          type: "select",
          key: "deploymentType",
          message: "Where is your GitHub account?",
          options: [
            { label: "GitHub.com", value: "github.com", hint: "public" },
            { label: "GitHub Enterprise", value: "enterprise", hint: "data residency or self-hosted" },
          ],
        },
        {
          type: "text",
          key: "enterpriseUrl",
          message: "Your GitHub Enterprise URL or domain",
          placeholder: "company.ghe.com",
          when: { key: "deploymentType", op: "eq", value: "enterprise" },
          validate: (v) => (enterpriseDomain(v) ? undefined : "Enter a domain such as company.ghe.com or a URL such as https://company.ghe.com"),
        },
      ],
      async authorize(inputs = {}) {
        const enterprise = inputs.deploymentType === "enterprise"
        const domain = enterprise ? enterpriseDomain(inputs.enterpriseUrl ?? "") : "github.com"
        if (!domain) throw new SignInError("GitHub Enterprise needs its URL or domain (enterpriseUrl), e.g. company.ghe.com.")
        const a = await post(`https://${domain}/login/device/code`, { client_id: CLIENT_ID, scope: "read:user" })
        const d = a.body
        if (!a.ok || typeof d?.device_code !== "string" || typeof d?.user_code !== "string")
          throw new SignInError(`${domain} did not start the device sign-in (${describe(a)}).`)
        const url = typeof d.verification_uri === "string" ? d.verification_uri : `https://${domain}/login/device`
        return {
          url,
          method: "auto",
          instructions: `Open ${url} on any device and enter the code: ${d.user_code}`,
          async callback(signal) {
            const token = await pollDeviceToken(
              { host: domain, tokenUrl: `https://${domain}/login/oauth/access_token`, clientId: CLIENT_ID, deviceCode: d.device_code, interval: d.interval, expiresIn: d.expires_in, form: false },
              signal,
            )
            return {
              type: "success",
              access: token.access_token,
              refresh: token.access_token,
              expires: 0,
              ...(enterprise ? { enterpriseUrl: domain } : {}),
            }
          },
        }
      },
    },
  ],
  async loader(auth) {
    const first = await auth()
    if (first.type !== "oauth") return {}
    const domain = first.enterpriseUrl ? enterpriseDomain(first.enterpriseUrl) : undefined
    return {
      apiKey: "github-copilot-sign-in",
      baseURL: endpoint(copilotBase(domain)),
      fetch: bearerFetch("github-copilot", undefined, {
        skewMs: 0,
        decorate(headers, stored, _url, body) {
          // The GitHub token is the bearer; `refresh` holds it too for older entries.
          headers.set("authorization", `Bearer ${stored.refresh || stored.access}`)
          headers.set("user-agent", USER_AGENT)
          headers.set("openai-intent", "conversation-edits")
          headers.set("x-initiator", initiator(body))
          if (hasImage(body)) headers.set("copilot-vision-request", "true")
        },
      }),
    }
  },
}
