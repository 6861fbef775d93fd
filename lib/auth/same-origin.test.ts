import { NextRequest } from "next/server";
import { describe, expect, test } from "vitest";
import { assertSameOrigin } from "./with-auth";

const OURS = ["https://bulkhead.example.com", "http://localhost:3000", "http://127.0.0.1:3000"];

function write(headers: Record<string, string>, method = "POST"): NextRequest {
  return new NextRequest("http://127.0.0.1:3000/api/findings/1/assign", { method, headers: { host: "localhost:3000", ...headers } });
}

describe("writes come from our own origin", () => {
  test.each([
    ["https://bulkhead.example.com"],
    ["http://localhost:3000"],
    ["http://127.0.0.1:3000"],
  ])("Origin %s is ours", (origin) => {
    expect(() => assertSameOrigin(write({ origin }), OURS)).not.toThrow();
  });

  test.each([
    ["http://bulkhead.example.com"], // scheme differs
    ["https://bulkhead.example.com:8443"], // port differs
    ["https://bulkhead.example.com.evil.example"],
    ["https://evil.example"],
    ["http://localhost:3000@evil.example"], // userinfo trick
    ["http://evil.example@localhost:3000"],
    ["http://localhost:3000/"], // not an origin
    ["http://localhost:3000/path"],
    ["null"],
    [""],
    ["http://[::1"],
    ["http://LOCALHOST:3000"],
  ])("Origin %j is refused with 403", (origin) => {
    expect(() => assertSameOrigin(write({ origin }), OURS)).toThrow(expect.objectContaining({ code: "forbidden" }));
  });

  test("X-Forwarded-Host cannot make another origin ours", () => {
    expect(() => assertSameOrigin(write({ origin: "https://evil.example", "x-forwarded-host": "evil.example", host: "evil.example" }), OURS)).toThrow(/Cross-site/);
  });

  test("a write with a Referer but no Origin is cross-site; one with neither is a non-browser client", () => {
    expect(() => assertSameOrigin(write({ referer: "http://localhost:3000/findings" }), OURS)).toThrow(/Cross-site/);
    expect(() => assertSameOrigin(write({}), OURS)).not.toThrow();
  });

  test("Sec-Fetch-Site cross-site or same-site is refused; reads are never checked", () => {
    expect(() => assertSameOrigin(write({ origin: "http://localhost:3000", "sec-fetch-site": "same-site" }), OURS)).toThrow(/Cross-site/);
    expect(() => assertSameOrigin(write({ origin: "https://evil.example" }, "GET"), OURS)).not.toThrow();
  });
});
