// Removes from a production install (`npm ci --omit=dev`) what production reaches only through
// optional peer dependencies. npm installs an optional peer whenever the project has it anyway (as
// a devDependency): better-auth names vitest as an optional peer, prisma names typescript, so
// `--omit=dev` alone would put vitest, vite, rolldown, playwright and TypeScript in the image.
// Optional means what it says: the packages that name them run without them.
//
// Kept: everything reachable from package.json's dependencies through dependencies,
// optionalDependencies and required peerDependencies, resolved as Node resolves them.
//
//   node scripts/image/prune-optional-peers.mjs DIR   (DIR holds package-lock.json and node_modules)
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const dir = path.resolve(process.argv[2] ?? ".");
const lock = JSON.parse(readFileSync(path.join(dir, "package-lock.json"), "utf8")).packages;
const hiddenLockFile = path.join(dir, "node_modules", ".package-lock.json");
const hidden = JSON.parse(readFileSync(hiddenLockFile, "utf8"));
const installed = new Set(Object.keys(hidden.packages));

/** Where `name`, required from the package at `from` ("" for the project), is installed. */
function resolve(from, name) {
  for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf("/node_modules/")))) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (installed.has(candidate)) return candidate;
    if (!base) return null;
  }
}

function requiredNames(entry) {
  const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, meta]) => meta?.optional).map(([name]) => name));
  return [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers.has(name)),
  ];
}

const reachable = new Set();
const queue = [""];
while (queue.length > 0) {
  const from = queue.shift();
  for (const name of requiredNames(lock[from] ?? {})) {
    const found = resolve(from, name);
    if (found && !reachable.has(found)) {
      reachable.add(found);
      queue.push(found);
    }
  }
}

const removed = [...installed].filter((name) => !reachable.has(name));
// Deepest first, so that a nested package goes before the one it sits in.
for (const name of removed.sort((a, b) => b.length - a.length)) {
  rmSync(path.join(dir, name), { recursive: true, force: true });
  delete hidden.packages[name];
}
// npm's record of what is installed, so that `npm ls` describes the tree as it now is.
writeFileSync(hiddenLockFile, `${JSON.stringify(hidden, null, 2)}\n`);

// Command links whose package went.
const bin = path.join(dir, "node_modules", ".bin");
if (existsSync(bin)) {
  for (const link of readdirSync(bin)) {
    const full = path.join(bin, link);
    if (lstatSync(full).isSymbolicLink() && !existsSync(full)) rmSync(full);
  }
}
console.log(`prune-optional-peers: removed ${removed.length} packages that production reaches only as optional peers`);
