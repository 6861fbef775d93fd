// The CLI shares the server's data-access modules, which import "server-only" to keep them out of
// client bundles. Outside React Server Components that package throws, so the CLI resolves it to nothing.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true };
  return nextResolve(specifier, context);
}
