import { NextRequest } from "next/server";
import { describe, expect, test } from "vitest";
import { proxy } from "@/proxy";
import { buildContentSecurityPolicy, strictTransportSecurity } from "./security-headers";

function scriptSrc(policy: string): string {
  return policy.split(";").map((part) => part.trim()).find((part) => part.startsWith("script-src")) ?? "";
}

describe("security headers", () => {
  test("script-src allows our origin and this response's nonce, never inline code", () => {
    const policy = buildContentSecurityPolicy("abc123==", { dev: false });
    expect(scriptSrc(policy)).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
  });

  test("HSTS only when the public URL is https", () => {
    expect(strictTransportSecurity("https://bulkhead.example.com")).toBe("max-age=31536000; includeSubDomains");
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });

  test("the proxy gives every response, pages and redirects alike, a policy with a fresh nonce that Next.js can read", () => {
    const signIn = proxy(new NextRequest("http://localhost:3000/sign-in"));
    const redirect = proxy(new NextRequest("http://localhost:3000/clusters"));
    const policies = [signIn, redirect].map((response) => response.headers.get("content-security-policy") ?? "");
    for (const policy of policies) {
      expect(scriptSrc(policy)).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'$/);
      expect(scriptSrc(policy)).not.toContain("unsafe-inline");
    }
    expect(policies[0]).not.toBe(policies[1]);
    expect(redirect.status).toBe(307);
    // The policy rides on the request to the page, where Next.js takes the nonce for its scripts.
    expect(signIn.headers.get("x-middleware-request-content-security-policy")).toBe(policies[0]);
    expect(signIn.headers.get("strict-transport-security")).toBeNull();
  });
});
