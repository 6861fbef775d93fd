import "server-only";
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newLocalAccountWrites, recordAdminEvent } from "./accounts";
import type { Role } from "./permissions";

const CREDENTIAL_PROVIDER = "credential";
export const MIN_PASSWORD_LENGTH = 12;

/** RFC 5321's limit on an address. */
export const MAX_EMAIL_LENGTH = 254;
const emailSchema = z.email("must be an e-mail address").max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`);

/** A person's display name, wherever it is set (admin API, CLI, self-service profile). */
export const displayNameSchema = z
  .string({ error: "must be text" })
  .trim()
  .min(1, "must not be empty")
  .max(120, "must be at most 120 characters")
  .regex(/^[^<>\p{Cc}]+$/u, "may not contain < > or control characters");

/** A profile picture: an https URL without credentials, or null to remove it. */
export const profileImageSchema = z
  .url({ protocol: /^https$/, error: "must be an https:// URL" })
  .max(2_048, "must be at most 2048 characters")
  .refine((value) => !new URL(value).username && !new URL(value).password, "may not carry a user name or password")
  .nullable();

/** What a signed-in person may change about themselves (Better Auth's /update-user). */
export const profileUpdateSchema = z.strictObject(
  { name: displayNameSchema.optional(), image: profileImageSchema.optional() },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `only name and image can be changed here (not ${issue.keys.join(", ")})` : undefined) },
);

export interface LocalUserResult {
  id: string;
  email: string;
  role: Role;
  created: boolean;
  /** Set when a password was generated for a new account; shown once, never stored in clear. */
  generatedPassword?: string;
}

/**
 * Creates a local account or changes its role (and password, when given). Passwords are hashed with
 * Better Auth's own scheme, so the account signs in through the normal sign-in.
 */
export async function upsertLocalUser(
  db: Database,
  input: { email: string; role: Role; password?: string; name?: string },
  actor = "bulkhead users (command line)",
): Promise<LocalUserResult> {
  const parsed = emailSchema.safeParse(input.email.trim().toLowerCase());
  if (!parsed.success) throw new AppError("bad-request", `EMAIL: "${input.email}" is not an e-mail address`);
  const email = parsed.data;
  if (input.name !== undefined) {
    const name = displayNameSchema.safeParse(input.name);
    if (!name.success) throw new AppError("bad-request", `name: ${name.error.issues[0].message}`);
    input = { ...input, name: name.data };
  }
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("bad-request", `password: must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const existing = await db.prisma.user.findUnique({ where: { email }, include: { accounts: true } });
  if (existing) {
    await db.prisma.$transaction(async (tx) => {
      if (existing.role === "admin" && input.role !== "admin") await assertAnotherAdmin(tx, existing.id, email);
      await tx.user.update({ where: { id: existing.id }, data: { role: input.role, ...(input.name ? { name: input.name } : {}) } });
      if (existing.role !== input.role) await recordAdminEvent(tx, { actor, type: "role-changed", subject: email, data: { from: existing.role, to: input.role } });
      if (input.password !== undefined) await recordAdminEvent(tx, { actor, type: "password-reset", subject: email });
      if (input.password !== undefined) {
        const hash = await hashPassword(input.password);
        const credential = existing.accounts.find((account) => account.providerId === CREDENTIAL_PROVIDER);
        if (credential) await tx.account.update({ where: { id: credential.id }, data: { password: hash } });
        else await tx.account.create({ data: { id: randomUUID(), accountId: existing.id, providerId: CREDENTIAL_PROVIDER, userId: existing.id, password: hash } });
      }
      // A changed role or password ends the sessions that were opened with the old ones.
      await tx.session.deleteMany({ where: { userId: existing.id } });
    });
    return { id: existing.id, email, role: input.role, created: false };
  }
  const { id, generatedPassword, writes } = await newLocalAccountWrites(db, { ...input, email }, actor);
  try {
    await db.prisma.$transaction(writes);
  } catch (error) {
    // Created meanwhile by a concurrent request: this one changes it, as it would a second later.
    if ((error as { code?: string }).code === "P2002") return upsertLocalUser(db, { ...input, email });
    throw error;
  }
  return { id, email, role: input.role, created: true, generatedPassword };
}

/**
 * Refuses to leave the store without an admin: nobody could manage users or settings any more.
 * The admins' rows are locked, so two admins demoting each other at once cannot both succeed.
 */
async function assertAnotherAdmin(tx: Prisma.TransactionClient, userId: string, email: string): Promise<void> {
  const admins = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM auth_users WHERE role = 'admin' ORDER BY id FOR UPDATE`;
  if (!admins.some((admin) => admin.id !== userId)) {
    throw new AppError("conflict", `${email} is the last admin: make another account admin first, then change this one.`);
  }
}

export const DEMO_PASSWORD = "bulkhead-demo-password";

/** One account per role for the demo, offered on the sign-in page when BULKHEAD_DEMO_ACCOUNTS=1. */
export const DEMO_ACCOUNTS: { email: string; role: Role; name: string }[] = [
  { email: "viewer@demo.bulkhead.local", role: "viewer", name: "Vera Viewer (executive)" },
  { email: "finops@demo.bulkhead.local", role: "finops", name: "Finn Ops (FinOps lead)" },
  { email: "security@demo.bulkhead.local", role: "security", name: "Sam Secure (security manager)" },
  { email: "admin@demo.bulkhead.local", role: "admin", name: "Ada Admin (platform admin)" },
];

export async function ensureDemoAccounts(db: Database): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    const existing = await db.prisma.user.findUnique({ where: { email: account.email } });
    if (!existing) await upsertLocalUser(db, { ...account, password: DEMO_PASSWORD });
  }
}
