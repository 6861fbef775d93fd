import { Writable } from "node:stream";
import { describe, expect, test } from "vitest";
import { createLogger, scrubSecrets } from "./logger";

/** A logger writing JSON lines into an array. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ destination, pretty: false, level: "debug" }) };
}

const JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJlLXBhcnQ";

describe("scrubSecrets", () => {
  test.each([
    ["postgresql://bulkhead:s3cr3t-pass@db.internal:5432/bulkhead", "postgresql://bulkhead:[redacted]@db.internal:5432/bulkhead"],
    ["GET failed: Authorization: Bearer abc.DEF-123_xyz was refused", "GET failed: Authorization: Bearer [redacted] was refused"],
    [`token ${JWT} expired`, "token [redacted] expired"],
    ["Server=db;User Id=sa;Password=hunter2;Encrypt=true", "Server=db;User Id=sa;Password=[redacted];Encrypt=true"],
    ["https://login.example/token?client_secret=abc123&scope=x", "https://login.example/token?client_secret=[redacted]&scope=x"],
  ])("%s", (text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  test("text without a secret is left as it is", () => {
    const text = "run #12 completed: 3 subscriptions listed, aks-payments-prod unreachable (dial tcp 10.1.2.4:443)";
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe("the logger", () => {
  test("writes one JSON object per line with level, time and message", () => {
    const { lines, logger } = capture();
    logger.info({ runId: 7 }, "run completed");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: "run completed", runId: 7, service: "bulkhead" });
    expect(typeof lines[0].time).toBe("number");
  });

  test("secret fields are redacted by name, at the top and one level down, and request headers too", () => {
    const { lines, logger } = capture();
    logger.warn(
      { password: "p1", token: "t1", azure: { clientSecret: "cs1", tenant: "contoso" }, request: { headers: { authorization: "Bearer b1", accept: "application/json" } } },
      "configuration read",
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ["p1", "t1", "cs1", "b1"]) expect(text).not.toContain(`"${secret}"`);
    expect(lines[0]).toMatchObject({ password: "[redacted]", token: "[redacted]", azure: { clientSecret: "[redacted]", tenant: "contoso" } });
    expect((lines[0].request as { headers: Record<string, string> }).headers).toEqual({ authorization: "[redacted]", accept: "application/json" });
  });

  test("secrets inside messages, strings and errors are scrubbed", () => {
    const { lines, logger } = capture();
    const error = new Error("connect ECONNREFUSED postgresql://bulkhead:pa55@127.0.0.1:5432/bulkhead");
    logger.error({ err: error, url: "postgres://app:pw@db/app" }, `query failed with ${JWT}`);
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain("pa55");
    expect(text).not.toContain(":pw@");
    expect(text).not.toContain(JWT);
    expect(lines[0].msg).toBe("query failed with [redacted]");
    expect((lines[0].err as { message: string }).message).toBe("connect ECONNREFUSED postgresql://bulkhead:[redacted]@127.0.0.1:5432/bulkhead");
    expect((lines[0].err as { type: string }).type).toBe("Error");
  });

  test("the level filters what is written", () => {
    const { lines, logger } = capture();
    logger.level = "warn";
    logger.info("not written");
    logger.warn("written");
    expect(lines.map((line) => line.msg)).toEqual(["written"]);
  });
});
