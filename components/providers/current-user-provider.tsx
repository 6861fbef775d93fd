"use client";

import { createContext, useContext } from "react";
import type { Permission, Role } from "@/lib/auth/permissions";

export interface SessionUser {
  name: string;
  email: string;
  role: Role;
  permissions: Permission[];
}

const CurrentUserContext = createContext<SessionUser | null>(null);

export function CurrentUserProvider({ user, children }: { user: SessionUser; children: React.ReactNode }) {
  return <CurrentUserContext.Provider value={user}>{children}</CurrentUserContext.Provider>;
}

/** The signed-in user, for showing or hiding controls; the server checks every action again. */
export function useCurrentUser(): SessionUser & { can: (permission: Permission) => boolean } {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error("useCurrentUser needs a CurrentUserProvider");
  return { ...user, can: (permission) => user.permissions.includes(permission) };
}
