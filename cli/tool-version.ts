import packageJson from "../package.json" with { type: "json" };

/** `bulkhead --version`, and the tool version SARIF reports name. */
export const TOOL_VERSION: string = packageJson.version;
