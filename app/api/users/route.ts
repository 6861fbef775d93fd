import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { createLocalAccount } from "@/lib/auth/accounts";
import { displayNameSchema, MAX_EMAIL_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/local-users";
import { ROLES } from "@/lib/auth/permissions";
import { listUsers } from "@/lib/data/list-users";

export const GET = withAuth(z.object({}), { permission: "user:manage" }, ({ db }) => listUsers(db));

const create = z.object({
  email: z.email("must be an e-mail address").max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`),
  role: z.enum(ROLES),
  name: displayNameSchema.optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(200).optional(),
});

/** Creates a local account (an e-mail that has one is a 409 saying what to do); a generated password is returned once. */
export const POST = withAuth(create, { permission: "user:manage", body: true }, ({ db, query, user }) => createLocalAccount(db, query, user.email));
