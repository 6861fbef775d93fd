import { afterEach, expect, test, vi } from "vitest";
import { logger } from "@/lib/logger";
import { errorResponse } from "./error-response";

afterEach(() => vi.restoreAllMocks());

test("an unexpected error is logged with the request's id and answered 500 without its details", async () => {
  const logged = vi.spyOn(logger, "error").mockImplementation(() => undefined);
  const response = errorResponse(new Error("relation \"secret_table\" does not exist"), "req-7f3a");
  expect(response.status).toBe(500);
  expect(await response.json()).toEqual({ error: { code: "internal", message: "Something went wrong on the server." } });
  expect(logged).toHaveBeenCalledWith(expect.objectContaining({ reqId: "req-7f3a", err: expect.any(Error) }), "unexpected error in an API route");
});
