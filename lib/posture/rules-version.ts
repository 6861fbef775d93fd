/** The rules version every evaluation records (docs/design.md §3, §4.2): 2 judges every engine's objects through one decision. */
export const RULES_VERSION = 2;
