import { createHash } from "node:crypto";

/** A document as it is stored once per distinct content: its JSON text and the sha-256 of that text. */
export interface ContentDocument {
  hash: string;
  json: string;
}

export function contentDocument(body: unknown): ContentDocument {
  const json = JSON.stringify(body);
  return { hash: createHash("sha256").update(json).digest("hex"), json };
}
