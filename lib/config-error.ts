// Apart from lib/env.ts (and its schema library) so that the CLI can map the error to its exit status
// without loading the environment's validation on every start.

/** The environment or a setting is wrong: the message names every wrong variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
