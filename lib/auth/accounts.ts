import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Role } from "./permissions";

// What admins do to accounts, each change with its entry in the append-only admin trail
// (admin_events): created, role changed, password reset, disabled, enabled, removed. Disabling and
// removing end the account's sessions at once; the last enabled admin can be neither.

export type AdminEventType = "account-created" | "role-changed" | "password-reset" | "account-disabled" | "account-enabled" | "account-removed" | "sla-changed";

export interface AdminEventView {
  id: string;
  at: string;
  actor: string;
  type: AdminEventType;
  subject: string;
  data: Record<string, unknown>;
}

const CREDENTIAL_PROVIDER = "credential";

type Tx = Prisma.TransactionClient | Database["prisma"];

export async function recordAdminEvent(tx: Tx, event: { actor: string; type: AdminEventType; subject: string; data?: Record<string, unknown>; at?: Date }): Promise<void> {
  await tx.adminEvent.create({ data: { at: event.at ?? new Date(), actor: event.actor, type: event.type, subject: event.subject, data: (event.data ?? {}) as Prisma.InputJsonValue } });
}

/** The admin trail, newest first. */
export async function listAdminEvents(db: Database, limit = 200): Promise<AdminEventView[]> {
  const rows = await db.prisma.adminEvent.findMany({ orderBy: [{ at: "desc" }, { id: "desc" }], take: limit });
  return rows.map((row) => ({ id: row.id.toString(), at: row.at.toISOString(), actor: row.actor, type: row.type as AdminEventType, subject: row.subject, data: (row.data ?? {}) as Record<string, unknown> }));
}

async function findAccount(tx: Tx, id: string) {
  const user = await tx.user.findUnique({ where: { id } });
  if (!user) throw new AppError("not-found", `id: account ${id} does not exist`);
  return user;
}

/** Refuses a change that would leave no enabled admin: nobody could manage accounts or settings any more. */
async function assertAnotherEnabledAdmin(tx: Prisma.TransactionClient, userId: string, email: string, doing: string): Promise<void> {
  const admins = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM auth_users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`;
  if (!admins.some((admin) => admin.id !== userId)) {
    throw new AppError("conflict", `${email} is the last enabled admin: make another account admin first, then ${doing} this one.`);
  }
}

function assertNotSelf(userEmail: string, actorEmail: string, doing: string): void {
  if (userEmail === actorEmail) throw new AppError("conflict", `You cannot ${doing} your own account: ask another admin.`);
}

/** A new local account's rows (with a password sign-in) and its trail entry, for one transaction. */
export async function newLocalAccountWrites(
  db: Database,
  input: { email: string; role: Role; name?: string; password?: string },
  actor: string,
): Promise<{ id: string; generatedPassword?: string; writes: Prisma.PrismaPromise<unknown>[] }> {
  const generatedPassword = input.password === undefined ? randomBytes(12).toString("base64url") : undefined;
  const hash = await hashPassword(input.password ?? generatedPassword!);
  const id = randomUUID();
  return {
    id,
    generatedPassword,
    writes: [
      db.prisma.user.create({
        data: {
          id,
          email: input.email,
          name: input.name ?? input.email.split("@")[0],
          role: input.role,
          emailVerified: true,
          accounts: { create: { id: randomUUID(), accountId: id, providerId: CREDENTIAL_PROVIDER, password: hash } },
        },
      }),
      db.prisma.adminEvent.create({ data: { at: new Date(), actor, type: "account-created", subject: input.email, data: { role: input.role, passwordSet: input.password !== undefined } } }),
    ],
  };
}

/**
 * A new local account. An e-mail that already has one is refused with what to do instead: adding
 * never changes an existing account's role or password behind the admin's back.
 */
export async function createLocalAccount(
  db: Database,
  input: { email: string; role: Role; name?: string; password?: string },
  actor: string,
): Promise<{ id: string; email: string; role: Role; created: true; generatedPassword?: string }> {
  const email = input.email.trim().toLowerCase();
  const existing = await db.prisma.user.findUnique({ where: { email } });
  if (existing) {
    throw new AppError(
      "conflict",
      `email: ${email} already has an account (${existing.role}${existing.disabledAt ? ", disabled" : ""}). Change its role or reset its password in the list of accounts instead.`,
    );
  }
  const { id, generatedPassword, writes } = await newLocalAccountWrites(db, { ...input, email }, actor);
  try {
    await db.prisma.$transaction(writes);
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new AppError("conflict", `email: ${email} already has an account (added a moment ago).`);
    throw error;
  }
  return { id, email, role: input.role, created: true, generatedPassword };
}

/** A new role; the account's sessions end (they were opened with the old one). */
export async function changeAccountRole(db: Database, input: { id: string; role: Role }, actor: string): Promise<{ id: string; email: string; role: Role }> {
  return db.prisma.$transaction(async (tx) => {
    const user = await findAccount(tx, input.id);
    if (user.role === input.role) return { id: user.id, email: user.email, role: input.role };
    if (user.role === "admin") await assertAnotherEnabledAdmin(tx, user.id, user.email, "change");
    await tx.user.update({ where: { id: user.id }, data: { role: input.role } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAdminEvent(tx, { actor, type: "role-changed", subject: user.email, data: { from: user.role, to: input.role } });
    return { id: user.id, email: user.email, role: input.role };
  });
}

/** A generated password for a local account, shown once; its sessions end. */
export async function resetAccountPassword(db: Database, input: { id: string }, actor: string): Promise<{ email: string; generatedPassword: string }> {
  const generatedPassword = randomBytes(12).toString("base64url");
  const hash = await hashPassword(generatedPassword);
  return db.prisma.$transaction(async (tx) => {
    const user = await findAccount(tx, input.id);
    const credential = await tx.account.findFirst({ where: { userId: user.id, providerId: CREDENTIAL_PROVIDER } });
    if (!credential) throw new AppError("conflict", `${user.email} signs in with Microsoft Entra ID only: there is no password to reset.`);
    await tx.account.update({ where: { id: credential.id }, data: { password: hash } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAdminEvent(tx, { actor, type: "password-reset", subject: user.email });
    return { email: user.email, generatedPassword };
  });
}

/** Disables (sign-in refused, sessions ended at once) or enables an account. */
export async function setAccountDisabled(db: Database, input: { id: string; disabled: boolean }, actor: string): Promise<{ id: string; email: string; disabled: boolean }> {
  return db.prisma.$transaction(async (tx) => {
    const user = await findAccount(tx, input.id);
    if (input.disabled) {
      assertNotSelf(user.email, actor, "disable");
      if (user.role === "admin") await assertAnotherEnabledAdmin(tx, user.id, user.email, "disable");
    }
    if (Boolean(user.disabledAt) === input.disabled) return { id: user.id, email: user.email, disabled: input.disabled };
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: input.disabled ? new Date() : null } });
    if (input.disabled) await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAdminEvent(tx, { actor, type: input.disabled ? "account-disabled" : "account-enabled", subject: user.email, data: { role: user.role } });
    return { id: user.id, email: user.email, disabled: input.disabled };
  });
}

/** Removes an account and its sessions and sign-in methods; the trail keeps who it was. */
export async function removeAccount(db: Database, input: { id: string }, actor: string): Promise<{ email: string }> {
  return db.prisma.$transaction(async (tx) => {
    const user = await findAccount(tx, input.id);
    assertNotSelf(user.email, actor, "remove");
    if (user.role === "admin" && !user.disabledAt) await assertAnotherEnabledAdmin(tx, user.id, user.email, "remove");
    await tx.user.delete({ where: { id: user.id } });
    await recordAdminEvent(tx, { actor, type: "account-removed", subject: user.email, data: { role: user.role, name: user.name } });
    return { email: user.email };
  });
}

/** Whether the account may open a session (sign-in checks it before a session is created). */
export async function isAccountDisabled(db: Database, userId: string): Promise<boolean> {
  const user = await db.prisma.user.findUnique({ where: { id: userId }, select: { disabledAt: true } });
  return Boolean(user?.disabledAt);
}
