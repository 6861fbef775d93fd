import { z } from "zod";
import { withHandler } from "@/lib/auth/with-handler";
import { getFilterOptions } from "@/lib/data/get-filter-options";

export const GET = withHandler(z.object({}), ({ db }) => getFilterOptions(db));
