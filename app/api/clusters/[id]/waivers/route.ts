import { z } from "zod";
import { idNumber } from "@/lib/api/bounds";
import { withAuth } from "@/lib/auth/with-auth";
import { importExceptionsAsWaivers } from "@/lib/findings/import-exceptions";

/** An exceptions file is a page of YAML; anything near this is not one. */
const MAX_FILE_CHARACTERS = 256 * 1024;

const importInput = z.object({
  id: idNumber("a cluster id"),
  /** The file's name, for the waivers' reason and the messages. */
  file: z.string().trim().min(1, "must name the file").max(200, "must be at most 200 characters").regex(/^[^<>\p{Cc}]+$/u, "may not contain < > or control characters").default("exceptions.yaml"),
  content: z.string("must be the exceptions file's text").max(MAX_FILE_CHARACTERS, `must be at most ${MAX_FILE_CHARACTERS / 1024} KB`),
  /** false (the default) shows what would be waived and writes nothing. */
  apply: z.boolean("must be true or false").default(false),
});

/** Imports an exceptions file (docs/ci.md) as waivers of the cluster's open findings; security and admin only. */
export const POST = withAuth(importInput, { permission: "finding:waive", body: true }, ({ db, query, user }) =>
  importExceptionsAsWaivers(db, { clusterId: query.id, file: query.file, content: query.content, actor: user.email, apply: query.apply }),
);
