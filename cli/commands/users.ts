import { Command, Option } from "commander";
import { ROLES, type Role } from "@/lib/auth/permissions";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

export function usersCommand(): Command {
  const users = new Command("users").description("manage local accounts (sign-in for the embedded default)");
  users
    .command("add")
    .description("create a local account, or change its role (and password with --password-stdin)")
    .argument("<email>", "the account's e-mail address")
    .addOption(new Option("--role <role>", "what the account may do").choices(ROLES).makeOptionMandatory())
    .option("--name <name>", "display name (default: the part before @)")
    .option("--password-stdin", "read the password from standard input (at least 12 characters); without it a new account gets a generated password")
    .addHelpText("after", "\nExamples:\n  $ bulkhead users add alice@example.com --role admin\n  $ printf '%s' \"$PASSWORD\" | bulkhead users add bob@example.com --role security --password-stdin")
    .action(async (email: string, options: { role: Role; name?: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await readStdin() : undefined;
      const [{ upsertLocalUser }, { withStore }] = await Promise.all([import("@/lib/auth/local-users"), import("../store")]);
      const result = await withStore((db) => upsertLocalUser(db, { email, role: options.role, password, name: options.name }));
      process.stdout.write(`${result.created ? "Created" : "Updated"} ${result.email} with role ${result.role}.\n`);
      if (result.generatedPassword) {
        process.stdout.write(`Password (shown once, change it after signing in): ${result.generatedPassword}\n`);
      }
      if (!result.created) process.stdout.write("Its open sessions were signed out.\n");
    });
  return users;
}
