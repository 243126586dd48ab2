// The stylesheet is imported as text (with { type: "text" }) and inlined into each page.
declare const style: string
export default style
