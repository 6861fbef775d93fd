import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import pretty from "pino-pretty";
import { LOG_LEVELS, type LogLevel } from "./log-levels";

// The server's one logger (docs/design.md §7): one JSON object per line where a machine reads the
// output (containers, files, pipes), readable lines on a terminal. Secrets never reach it: known
// secret fields are redacted by path, and every string is scrubbed of URL credentials and tokens,
// because error messages quote connection strings and remote answers.

export { LOG_LEVELS, type LogLevel };

const REDACTED = "[redacted]";

/** Fields that hold a secret wherever they appear (top level, one level down, request headers). */
const SECRET_KEYS = ["password", "token", "accessToken", "refreshToken", "idToken", "secret", "clientSecret", "apiKey", "authorization", "cookie", "DATABASE_URL", "databaseUrl"];
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...["authorization", "cookie", "set-cookie", "x-ms-authorization-auxiliary"].flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];

const SCRUBBERS: [RegExp, string][] = [
  // user:password@ in any URL (postgres://, https://): the user stays, the password goes.
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, `$1:${REDACTED}@`],
  // Bearer and Basic credentials as they appear in headers quoted by errors.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  // JSON Web Tokens anywhere (Azure access tokens are JWTs).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, REDACTED],
  // key=value secrets in connection strings and query strings.
  [/\b(password|pwd|client_secret|access_token|sig|code)=[^\s&;]+/gi, `$1=${REDACTED}`],
];

/** A string as it may be logged: URL passwords, bearer tokens, JWTs and secret parameters replaced. */
export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of SCRUBBERS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

/** Every string of a logged object scrubbed (depth-limited: log objects are small). */
function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  // Errors keep their class for the `err` serializer, which scrubs what it takes from them.
  if (depth > 6 || value === null || typeof value !== "object" || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, depth + 1)]));
}

function readLevel(value: string | undefined): LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value ?? "") ? (value as LogLevel) : "info";
}

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Where lines go; default standard output. */
  destination?: DestinationStream;
  /** The standard stream to write to when no `destination` is given. */
  stream?: "stdout" | "stderr";
  /** Readable lines instead of JSON; default: when that stream is a terminal. */
  pretty?: boolean;
  /** Fields on every line (the process's role, say). */
  base?: Record<string, unknown>;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const settings: LoggerOptions = {
    level: options.level ?? readLevel(process.env.BULKHEAD_LOG_LEVEL),
    base: { service: "bulkhead", ...options.base },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { err: (error: unknown) => scrubValue(pino.stdSerializers.err(error as Error)) as ReturnType<typeof pino.stdSerializers.err> },
    formatters: { log: (object) => scrubValue(object) as Record<string, unknown> },
    hooks: {
      // The message (and any printf-style arguments) is scrubbed as well as the object.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === "string" ? scrubSecrets(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  const fd = options.stream === "stderr" ? 2 : 1;
  const readable = options.pretty ?? Boolean((fd === 2 ? process.stderr : process.stdout).isTTY);
  const destination =
    options.destination ?? (readable ? pretty({ colorize: true, sync: true, destination: fd, ignore: "pid,hostname,service" }) : pino.destination({ dest: fd, sync: true }));
  return pino(settings, destination);
}

/** The process-wide logger. */
export const logger: Logger = createLogger();
