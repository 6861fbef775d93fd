/** Who may do what (README "Permissions"): every check in the app goes through `can`. */
export const ROLES = ["viewer", "finops", "security", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "posture:read", // overview, trends, clusters, findings, runs
  "report:export", // CSV exports, evidence packs
  "finding:assign",
  "finding:comment",
  "finding:waive",
  "collection:run", // "run collection now"
  "user:manage",
  "settings:manage", // SLA per control
  "history:reevaluate", // judge stored history again after a rules upgrade
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ["posture:read"],
  finops: ["posture:read", "report:export"],
  security: ["posture:read", "report:export", "finding:assign", "finding:comment", "finding:waive"],
  admin: PERMISSIONS,
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Unknown roles get nothing: a typo in the database never grants access. */
export function can(role: unknown, permission: Permission): boolean {
  return isRole(role) && GRANTS[role].includes(permission);
}

export function permissionsOf(role: unknown): readonly Permission[] {
  return isRole(role) ? GRANTS[role] : [];
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "Executive summary, trends, clusters and findings, read-only",
  finops: "Everything a viewer sees, plus CSV exports",
  security: "Plus assigning, commenting on and waiving findings",
  admin: "Plus users, settings, running a collection now and re-evaluating history after an upgrade",
};
