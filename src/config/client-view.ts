import type { Instance } from "../project/instance"
import { getConfig, type Config } from "./config"
import { updateConfig } from "./update"
import { redactSecrets } from "./secrets"

/** GET /config: the merged config, secrets masked. */
export async function clientConfig(instance: Instance): Promise<Config> {
  return redactSecrets(await getConfig(instance))
}

/** PATCH /config: masked values in the patch mean "unchanged"; the answer is masked too. */
export async function updateClientConfig(instance: Instance, patch: Record<string, unknown>): Promise<Config> {
  return redactSecrets(await updateConfig(instance, patch))
}
