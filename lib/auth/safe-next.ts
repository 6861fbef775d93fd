/** Only same-site paths are followed after sign-in ("//evil.example" and absolute URLs are not). */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}
