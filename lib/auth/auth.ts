import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { getDatabase, type OpenedDatabase } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/request-front";
import { publicUrl, trustedOrigins } from "@/lib/public-url";
import { APIError } from "better-auth/api";
import { isAccountDisabled } from "./accounts";
import { resolveAuthSecret } from "./auth-secret";
import { PASSWORD_CHECKING_PATHS } from "./password-attempts";

const SESSION_HOURS = 8;

/** OAuth tokens are not needed after sign-in; they are never stored (the Entra identity is enough). */
function withoutOAuthTokens<T extends Record<string, unknown>>(account: T): { data: T } {
  return { data: { ...account, accessToken: null, refreshToken: null, idToken: null } };
}

async function createAuth(db: OpenedDatabase) {
  const env = getEnv();
  const baseURL = publicUrl();
  const entra =
    env.BULKHEAD_ENTRA_CLIENT_ID && env.BULKHEAD_ENTRA_CLIENT_SECRET && env.BULKHEAD_ENTRA_TENANT_ID
      ? { clientId: env.BULKHEAD_ENTRA_CLIENT_ID, clientSecret: env.BULKHEAD_ENTRA_CLIENT_SECRET, tenantId: env.BULKHEAD_ENTRA_TENANT_ID }
      : null;
  return betterAuth({
    appName: "Bulkhead",
    baseURL,
    secret: await resolveAuthSecret(),
    database: prismaAdapter(db.prisma, { provider: "postgresql" }),
    // Local accounts are created by `bulkhead users add` or an admin, never by self sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12 },
    socialProviders: entra ? { microsoft: { ...entra, prompt: "select_account" } } : undefined,
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: env.BULKHEAD_DEFAULT_ROLE, input: false },
      },
    },
    session: { expiresIn: SESSION_HOURS * 3600, updateAge: 3600 },
    account: { encryptOAuthTokens: true },
    databaseHooks: {
      // A disabled account cannot open a session, by password or by Entra ID.
      session: {
        create: {
          before: async (session) => {
            if (await isAccountDisabled(db, session.userId)) throw new APIError("FORBIDDEN", { message: "This account is disabled. Ask an administrator." });
            return { data: session };
          },
        },
      },
      account: {
        create: { before: async (account) => withoutOAuthTokens(account) },
        update: { before: async (account) => withoutOAuthTokens(account) },
      },
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      storage: "database",
      modelName: "rateLimit",
      // Password checks are limited in our own route (lib/auth/auth-route.ts), which counts failures only.
      customRules: Object.fromEntries(PASSWORD_CHECKING_PATHS.map((path) => [path, false as const])),
    },
    trustedOrigins: trustedOrigins(),
    advanced: {
      useSecureCookies: baseURL.startsWith("https://"),
      cookiePrefix: "bulkhead",
      // The address our HTTP front read from the socket (and trusted proxies); the route drops any other copy.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    plugins: [nextCookies()],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

const globalForAuth = globalThis as unknown as { bulkheadAuth?: Promise<Auth>; bulkheadAuthDatabase?: OpenedDatabase };

/** Better Auth over the current database: when the web server reconnects (lib/db/client.ts), it follows. */
export async function getAuth(): Promise<Auth> {
  const db = await getDatabase();
  if (!globalForAuth.bulkheadAuth || globalForAuth.bulkheadAuthDatabase !== db) {
    globalForAuth.bulkheadAuthDatabase = db;
    globalForAuth.bulkheadAuth = createAuth(db).catch((error) => {
      globalForAuth.bulkheadAuth = undefined;
      throw error;
    });
  }
  return globalForAuth.bulkheadAuth;
}

export function isEntraEnabled(): boolean {
  const env = getEnv();
  return Boolean(env.BULKHEAD_ENTRA_CLIENT_ID && env.BULKHEAD_ENTRA_CLIENT_SECRET && env.BULKHEAD_ENTRA_TENANT_ID);
}
