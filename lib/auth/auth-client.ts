"use client";

import { createAuthClient } from "better-auth/react";

/** Better Auth's browser client: sign-in, sign-out, session. Same origin as the pages. */
export const authClient = createAuthClient();
