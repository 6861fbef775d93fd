import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { getFinding } from "@/lib/findings/get-finding";

const findingIdParam = z.object({ id: z.coerce.number().int().positive("must be a finding id") });

export const GET = withAuth(findingIdParam, { permission: "posture:read" }, ({ db, query }) => getFinding(db, query.id));
