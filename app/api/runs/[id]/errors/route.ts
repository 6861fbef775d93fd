import { runErrorsQuery } from "@/lib/api/run-params";
import { withHandler } from "@/lib/auth/with-handler";
import { listRunErrors } from "@/lib/data/list-run-errors";
import { AppError } from "@/lib/errors";

export const GET = withHandler(runErrorsQuery, async ({ db, query }) => {
  const result = await listRunErrors(db, query.id, query.page);
  if (!result) throw new AppError("not-found", `run ${query.id} does not exist`);
  return result;
});
