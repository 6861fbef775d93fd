// Loader setup shared by the `bulkhead` bin and repo scripts: TypeScript via tsx, and "server-only"
// resolved to nothing outside React Server Components.
import { register } from "node:module";
import { register as registerTsx } from "tsx/esm/api";

register("./server-only-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
