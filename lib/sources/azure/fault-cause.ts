import { MalformedResponseError, type FaultCause, type SourceFault } from "../source";
import type { SecretRedactor } from "./redact-secrets";

export { MalformedResponseError };

/** Our own per-cluster deadline fired (as opposed to the run being cancelled). */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeadlineError";
  }
}

const UNREACHABLE_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
const CREDENTIAL_ERRORS = new Set(["CredentialUnavailableError", "AuthenticationError", "AggregateAuthenticationError", "AuthenticationRequiredError"]);

interface ErrorFields {
  name: string;
  message: string;
  status?: number;
  code?: string;
  detail?: string;
}

function readFields(error: unknown, responseBody?: string): ErrorFields {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const record = error as Error & Record<string, unknown>;
  const fields: ErrorFields = { name: error.name, message: error.message };
  // RestError (Azure) carries statusCode; ApiException (Kubernetes) a numeric code; Node errors a string code.
  if (typeof record.statusCode === "number") fields.status = record.statusCode;
  if (typeof record.code === "number") fields.status = record.code;
  if (typeof record.code === "string") fields.code = record.code;
  const cause = record.cause as Record<string, unknown> | undefined;
  if (!fields.code && cause && typeof cause.code === "string") fields.code = cause.code;
  const response = record.response as { bodyAsText?: unknown } | undefined;
  // The SDK's paging helper drops ARM's error envelope from the message; the response still has it.
  fields.detail = readApiErrorDetail(record.details) ?? readApiErrorDetail(record.body) ?? readApiErrorDetail(response?.bodyAsText) ?? readApiErrorDetail(responseBody);
  return fields;
}

/** ARM `{error:{code,message}}` or a Kubernetes `Status` `{reason,message}`, as text. */
function readApiErrorDetail(body: unknown): string | undefined {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  const inner = (record.error && typeof record.error === "object" ? record.error : record) as Record<string, unknown>;
  const code = typeof inner.code === "string" ? inner.code : typeof inner.reason === "string" ? inner.reason : undefined;
  const message = typeof inner.message === "string" ? inner.message : undefined;
  if (!code && !message) return undefined;
  return [code, message].filter(Boolean).join(": ");
}

function causeForStatus(status: number): FaultCause {
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 408) return "timeout";
  if (status === 429) return "throttled";
  if (status >= 500) return "server-error";
  return "unknown";
}

/**
 * Turns what an Azure SDK, the Kubernetes client, Node or @azure/identity threw into a recorded
 * fault: a cause from the FaultCause list and a message that says what failed, with secrets removed.
 * `responseBody` is the raw error body when the caller kept it (the SDK's paging helper drops it).
 */
export function toSourceFault(error: unknown, action: string, redactor: SecretRedactor, responseBody?: string): SourceFault {
  const fields = readFields(error, responseBody);
  const say = (cause: FaultCause, text: string): SourceFault => ({ cause, message: redactor.redact(`${action}: ${text}`) });

  if (error instanceof MalformedResponseError) return say("malformed", fields.message);
  if (error instanceof DeadlineError) return say("timeout", fields.message);
  if (CREDENTIAL_ERRORS.has(fields.name)) return say("unauthenticated", `no token (${fields.name}): ${fields.message}`);
  if (fields.code === "PARSE_ERROR" || fields.name === "SyntaxError") return say("malformed", `the response is not valid JSON (${fields.message})`);
  if (fields.status !== undefined && fields.status > 0) {
    const detail = fields.detail ?? firstLine(fields.message);
    return say(causeForStatus(fields.status), `HTTP ${fields.status}${detail ? ` ${detail}` : ""}`);
  }
  if (fields.name === "AbortError") return say("timeout", "the request was cancelled before it completed");
  if (fields.code && TIMEOUT_CODES.has(fields.code)) return say("timeout", `${fields.code}: ${fields.message}`);
  if (fields.code && UNREACHABLE_CODES.has(fields.code)) return say("unreachable", `${fields.code}: ${fields.message}`);
  if (fields.code && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(fields.code)) return say("unreachable", `TLS ${fields.code}: ${fields.message}`);
  return say("unknown", fields.message);
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}
