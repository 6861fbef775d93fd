import { generate } from "selfsigned";

export interface TestCertificate {
  /** PEM; also the CA to trust, since it signs itself. */
  cert: string;
  key: string;
}

/**
 * A certificate for 127.0.0.1 and localhost, made when the test starts (nothing secret is kept in
 * the repository). It is its own CA, so clients trust exactly this server and nothing else.
 */
export async function createTestCertificate(): Promise<TestCertificate> {
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: "bulkhead-fake-azure" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 2 * 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
