import { render } from "preact"
import { start } from "./actions"
import { App } from "./components/app"

render(<App />, document.getElementById("app")!)
void start()
