import { expect, test } from "vitest";
import { SecretRedactor } from "./redact-secrets";

test.each([
  ["a remembered token anywhere", "token was s3cr3t-token-value!", "s3cr3t-token-value"],
  ["a JWT", "got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl back", "eyJhbGciOiJSUzI1NiJ9"],
  ["a bearer header", 'headers: {"Authorization": "Bearer abc.def-123"}', "abc.def-123"],
  ["kubeconfig user data", "client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t", "LS0tLS1CRUdJTiBQUklWQVRF"],
  ["a SAS signature", "https://x.blob.core.windows.net/c?sv=2021&sig=abcDEF%2B123", "abcDEF%2B123"],
])("removes %s", (_, text, secret) => {
  const redactor = new SecretRedactor();
  redactor.remember("s3cr3t-token-value");
  const result = redactor.redact(text);
  expect(result).not.toContain(secret);
  expect(result).toContain("[redacted]");
});

test("keeps what helps: ARM error codes, actions and scopes", () => {
  const text = "HTTP 403 AuthorizationFailed: does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/abc'";
  expect(new SecretRedactor().redact(text)).toBe(text);
});
