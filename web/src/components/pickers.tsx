import { useStore, emit } from "../store"

/** Agent and model selects for the next prompt. */
export function Pickers() {
  const s = useStore()
  const agents = s.agents.filter((a) => a.mode !== "subagent" && !(a as any).hidden)
  const current = s.model ? `${s.model.providerID}/${s.model.modelID}` : ""
  return (
    <>
      <label class="sr-only" for="agent-select">
        Agent
      </label>
      <select
        id="agent-select"
        data-testid="agent-select"
        value={s.agent}
        onChange={(e) => {
          s.agent = e.currentTarget.value
          emit()
        }}
      >
        {agents.map((a) => (
          <option key={a.name} value={a.name}>
            {a.name}
          </option>
        ))}
      </select>
      <label class="sr-only" for="model-select">
        Model
      </label>
      <select
        id="model-select"
        data-testid="model-select"
        value={current}
        onChange={(e) => {
          const [providerID, ...rest] = e.currentTarget.value.split("/")
          s.model = { providerID, modelID: rest.join("/") }
          emit()
        }}
      >
        {s.providers.map((p) => (
          <optgroup key={p.id} label={p.name}>
            {Object.values(p.models).map((m) => (
              <option key={m.id} value={`${p.id}/${m.id}`}>
                {m.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </>
  )
}
