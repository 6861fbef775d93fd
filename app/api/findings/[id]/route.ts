import { z } from "zod";
import { idNumber } from "@/lib/api/bounds";
import { withAuth } from "@/lib/auth/with-auth";
import { getFinding } from "@/lib/findings/get-finding";

const findingIdParam = z.object({ id: idNumber("a finding id") });

export const GET = withAuth(findingIdParam, { permission: "posture:read" }, ({ db, query }) => getFinding(db, query.id));
