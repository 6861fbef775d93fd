import { createHash, timingSafeEqual } from "node:crypto";

export type MetricsAccess = "disabled" | "unauthorized" | "granted";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Who may read /metrics: nobody when no token is configured (the endpoint does not exist), else a
 * request whose `Authorization: Bearer <token>` carries exactly the configured token. Compared as
 * SHA-256 digests with timingSafeEqual: equal lengths, and time that says nothing about the token.
 */
export function checkMetricsAccess(authorization: string | null, token: string | undefined): MetricsAccess {
  if (!token) return "disabled";
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  const offered = match?.[1] ?? "";
  return timingSafeEqual(sha256(offered), sha256(token)) && match !== null ? "granted" : "unauthorized";
}
