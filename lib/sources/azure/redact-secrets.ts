// SDK errors can echo request headers, URLs with signatures, or response bodies; nothing that
// reaches a log line, a run error or the database may carry a credential (docs/design.md §7).

const MAX_MESSAGE_LENGTH = 600;
const REDACTED = "[redacted]";

const SECRET_PATTERNS: RegExp[] = [
  // JSON Web Tokens: Entra access tokens, service-account tokens.
  /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g,
  /\b((?:bearer|basic)\s+)[^\s"',;]+/gi,
  /("?(?:authorization|x-ms-authorization-auxiliary|cookie|set-cookie)"?\s*[:=]\s*)("[^"]*"|[^\s,}]+)/gi,
  // Kubeconfig user credentials and query-string secrets.
  /((?:client-certificate-data|client-key-data|token|password|client_secret|access_token|refresh_token|sig)"?\s*[:=]\s*"?)[^\s"&,}]+/gi,
  /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g,
];

/**
 * Remembers the secrets this process handed out (tokens), and strips them and anything shaped like
 * a credential from text.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  remember(secret: string | undefined | null): void {
    // Very short values would redact ordinary words; real tokens are long.
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    for (const pattern of SECRET_PATTERNS) {
      result = result.replace(pattern, (match, prefix: unknown) => (typeof prefix === "string" && match.startsWith(prefix) && prefix !== match ? `${prefix}${REDACTED}` : REDACTED));
    }
    result = result.replace(/\s+/g, " ").trim();
    return result.length > MAX_MESSAGE_LENGTH ? `${result.slice(0, MAX_MESSAGE_LENGTH)}…` : result;
  }
}
