// The one module through which the domains build TypeBox schemas; only `src/server/` imports
// Elysia itself. The builder is Elysia's `t`: TypeBox 0.34 plus the kinds that let a query
// string's text pass as a number (`t.Integer`, `t.Numeric`), and the routes validate with these
// same schemas. `elysia/type-system` is that builder without the web framework. (The separate
// `typebox` 1.x package is not interchangeable: Elysia fails every request validated with it.)
export { t, TypeRegistry } from "elysia/type-system"
export type { Static, TSchema } from "@sinclair/typebox"
