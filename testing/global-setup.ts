import { prepareTemplateDatabase } from "./test-database";

export default async function setup(): Promise<() => Promise<void>> {
  return prepareTemplateDatabase();
}
