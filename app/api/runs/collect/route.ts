import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { startCollectionNow } from "@/lib/collector/start-collection-now";

export const POST = withAuth(z.object({}), { permission: "collection:run", body: true }, ({ db, user }) => startCollectionNow(db, user.email));
