import { scopeParams } from "@/lib/api/params";
import { withAuth } from "@/lib/auth/with-auth";
import { findingListParams, listFindings } from "@/lib/findings/list-findings";

export const GET = withAuth(findingListParams.extend(scopeParams.shape), { permission: "posture:read" }, ({ db, query }) => listFindings(db, query));
