"use client";

import { useId, useState } from "react";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { TableScrollRegion } from "@/components/table/table-scroll-region";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { CopyButton } from "@/components/ui/copy-button";
import { FieldLabel, FormError, FormSuccess, inputClass, primaryButtonClass, secondaryButtonClass, selectClass } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useAccountAction, useAdminEventsQuery, useUpsertUser, useUsersQuery, type UpsertUserResult, type UserListItem } from "@/hooks/use-settings-queries";
import { dangerButtonClass } from "@/components/ui/form";
import { formatDateTime } from "@/lib/format";
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "@/lib/auth/permissions";
import { cn } from "@/lib/class-names";
import { formatDate, SIGN_IN_METHOD_LABEL } from "@/lib/findings/finding-display";

const ROLE_LABEL: Record<Role, string> = { viewer: "Viewer", finops: "FinOps", security: "Security manager", admin: "Admin" };

/** A generated password, shown once, with a copy button and what to do with it. */
function GeneratedPassword({ result, onDismiss }: { result: UpsertUserResult & { generatedPassword: string }; onDismiss: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4">
      <p className="font-semibold text-amber-950">{result.created ? "Account created" : "New password made"}: copy the password now</p>
      <p className="mt-1 text-sm text-amber-950">
        It is shown only this once. Bulkhead keeps only a hash of it and cannot show it again. Hand it to {result.email} over a secure channel, not in a ticket
        or a chat channel.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code aria-label={`Password for ${result.email}`} className="select-all rounded-md border border-amber-300 bg-white px-3 py-1.5 font-mono text-sm text-slate-900">
          {result.generatedPassword}
        </code>
        <CopyButton text={result.generatedPassword} label={`the password for ${result.email}`} />
        <button type="button" onClick={onDismiss} className={cn(secondaryButtonClass, "h-7 px-2 text-xs")}>
          I have copied it
        </button>
      </div>
    </div>
  );
}

function AddUserForm({ onCreated }: { onCreated: (result: UpsertUserResult) => void }) {
  const ids = useId();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const mutation = useUpsertUser();

  return (
    <form
      noValidate
      aria-labelledby={`${ids}-title`}
      className="space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-4"
      onSubmit={(event) => {
        event.preventDefault();
        setDone(null);
        mutation.mutate(
          { email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}), ...(password ? { password } : {}) },
          {
            onSuccess: (result) => {
              setEmail("");
              setName("");
              setPassword("");
              setRole("viewer");
              setDone(`Added ${result.email} as ${ROLE_LABEL[result.role]}.${result.generatedPassword ? "" : " They sign in with the password you set."}`);
              onCreated(result);
            },
          },
        );
      }}
    >
      <div>
        <h3 id={`${ids}-title`} className="text-sm font-semibold text-slate-900">
          Add a local account
        </h3>
        <p className="mt-0.5 text-xs text-slate-600">For people without Entra ID. An e-mail that already has an account is refused: change its role or reset its password in the list.</p>
      </div>
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4">
        <div>
          <FieldLabel htmlFor={`${ids}-email`}>E-mail</FieldLabel>
          <input
            id={`${ids}-email`}
            type="email"
            className={inputClass}
            value={email}
            autoComplete="off"
            aria-describedby={mutation.isError ? `${ids}-error` : undefined}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div>
          <FieldLabel htmlFor={`${ids}-name`} hint="(optional)">
            Name
          </FieldLabel>
          <input id={`${ids}-name`} className={inputClass} value={name} autoComplete="off" onChange={(event) => setName(event.target.value)} />
        </div>
        <div>
          <FieldLabel htmlFor={`${ids}-role`}>Role</FieldLabel>
          <select id={`${ids}-role`} className={cn(selectClass, "w-full")} value={role} aria-describedby={`${ids}-role-hint`} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {ROLE_LABEL[option]}
              </option>
            ))}
          </select>
          <p id={`${ids}-role-hint`} className="mt-1 text-xs text-slate-600">
            {ROLE_DESCRIPTIONS[role]}.
          </p>
        </div>
        <div>
          <FieldLabel htmlFor={`${ids}-password`} hint="(optional)">
            Password
          </FieldLabel>
          <input
            id={`${ids}-password`}
            type="password"
            className={inputClass}
            value={password}
            autoComplete="new-password"
            aria-describedby={`${ids}-password-hint`}
            onChange={(event) => setPassword(event.target.value)}
          />
          <p id={`${ids}-password-hint`} className="mt-1 text-xs text-slate-600">
            At least 12 characters. Leave empty to generate one.
          </p>
        </div>
      </div>
      <FormError id={`${ids}-error`} error={mutation.error} labels={{ email: "E-mail", name: "Name", role: "Role", password: "Password" }} />
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      <button type="submit" className={primaryButtonClass} disabled={mutation.isPending || !email.trim()}>
        {mutation.isPending ? "Saving…" : "Add account"}
      </button>
    </form>
  );
}

/** A user's role: changing it saves after a confirmation, and ends that user's sessions. */
function RoleCell({ user, isSelf, onChanged }: { user: UserListItem; isSelf: boolean; onChanged: (message: string) => void }) {
  const [role, setRole] = useState<Role>(user.role);
  const mutation = useAccountAction();
  const id = useId();
  if (isSelf) {
    return (
      <span className="flex items-center gap-2">
        <span className="font-medium text-slate-900">{ROLE_LABEL[user.role] ?? user.role}</span>
        <Badge tone="neutral" title="Another admin can change your own role">
          you
        </Badge>
      </span>
    );
  }
  const changed = role !== user.role;
  return (
    <div className="space-y-1.5">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="sr-only">
          Role of {user.email}
        </label>
        <select id={id} className={selectClass} value={role} disabled={mutation.isPending} onChange={(event) => setRole(event.target.value as Role)}>
          {ROLES.map((option) => (
            <option key={option} value={option}>
              {ROLE_LABEL[option]}
            </option>
          ))}
        </select>
        {changed ? (
          <>
            <button
              type="button"
              className={cn(primaryButtonClass, "h-8 px-2.5")}
              disabled={mutation.isPending}
              onClick={() =>
                // The promise, not mutate's onSuccess: the list's refresh remounts this cell (keyed by the
                // role) before the mutation settles, and mutate's callbacks are dropped with it. A refusal
                // shows in FormError below.
                mutation.mutateAsync({ id: user.id, kind: "role", role }).then(
                  () => onChanged(`${user.email} is now ${ROLE_LABEL[role]}; their sessions were ended, so they sign in again.`),
                  () => {},
                )
              }
            >
              {mutation.isPending ? "Saving…" : "Save role"}
            </button>
            <button type="button" className={cn(secondaryButtonClass, "h-8 px-2.5")} disabled={mutation.isPending} onClick={() => setRole(user.role)}>
              Cancel
            </button>
          </>
        ) : null}
      </div>
      <FormError error={mutation.error} />
    </div>
  );
}

/** Disable or enable, reset the password, remove: each after a confirmation, each in the admin trail. */
function AccountActions({ user, isSelf, onDone }: { user: UserListItem; isSelf: boolean; onDone: (message: string, password?: { email: string; generatedPassword: string }) => void }) {
  const action = useAccountAction();
  const [confirming, setConfirming] = useState<null | "disable" | "remove" | "reset">(null);
  if (isSelf) return <span className="text-xs text-slate-600">Another admin manages your account</span>;
  const disabled = user.disabledAt !== null;
  const run = (kind: "disable" | "remove" | "reset") => {
    // The promise, not mutate's onSuccess: the list's refresh can unmount this row (a removed account)
    // before the mutation settles, and mutate's callbacks are dropped with it; the message lives in the
    // card. A refusal shows in FormError below.
    const settle = (promise: Promise<unknown>, message: (result: unknown) => void) =>
      promise.then(
        (result) => {
          setConfirming(null);
          message(result);
        },
        () => {},
      );
    if (kind === "disable")
      void settle(action.mutateAsync({ id: user.id, kind: "disable", disabled: !disabled }), () =>
        onDone(disabled ? `${user.email} can sign in again.` : `${user.email} is disabled: their sessions ended and they cannot sign in.`),
      );
    else if (kind === "remove") void settle(action.mutateAsync({ id: user.id, kind: "remove" }), () => onDone(`${user.email} was removed; the account trail keeps the record.`));
    else
      void settle(action.mutateAsync({ id: user.id, kind: "reset-password" }), (result) =>
        onDone(`A new password was made for ${user.email}; their sessions ended.`, result as { email: string; generatedPassword: string }),
      );
  };
  const question = confirming === "remove" ? `Remove ${user.email}? Their sessions end; the trail keeps who they were.` : confirming === "reset" ? `Make a new password for ${user.email}? The old one stops working.` : disabled ? `Enable ${user.email} again?` : `Disable ${user.email}? Their sessions end at once.`;
  return (
    <div className="space-y-1.5">
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-xs text-slate-800">{question}</span>
          <button type="button" className={cn(confirming === "remove" || (confirming === "disable" && !disabled) ? dangerButtonClass : primaryButtonClass, "h-8 px-2.5")} disabled={action.isPending} onClick={() => run(confirming)}>
            {action.isPending ? "Working…" : "Yes"}
          </button>
          <button type="button" className={cn(secondaryButtonClass, "h-8 px-2.5")} onClick={() => setConfirming(null)}>
            No
          </button>
        </div>
      ) : (
        <div className="flex flex-wrap gap-1.5">
          <button type="button" className={cn(secondaryButtonClass, "h-8 px-2.5")} onClick={() => setConfirming("disable")}>
            {disabled ? "Enable" : "Disable"}<span className="sr-only"> {user.email}</span>
          </button>
          {user.signIn.includes("credential") ? (
            <button type="button" className={cn(secondaryButtonClass, "h-8 px-2.5")} onClick={() => setConfirming("reset")}>
              Reset password<span className="sr-only"> of {user.email}</span>
            </button>
          ) : null}
          <button type="button" className={cn(secondaryButtonClass, "h-8 px-2.5 text-red-800")} onClick={() => setConfirming("remove")}>
            Remove<span className="sr-only"> {user.email}</span>
          </button>
        </div>
      )}
      <FormError error={action.error} />
    </div>
  );
}

const EVENT_TEXT: Record<string, (data: Record<string, unknown>) => string> = {
  "account-created": (data) => `account created as ${String(data.role ?? "?")}`,
  "role-changed": (data) => `role ${String(data.from ?? "?")} → ${String(data.to ?? "?")}`,
  "password-reset": () => "password reset",
  "account-disabled": () => "account disabled",
  "account-enabled": () => "account enabled",
  "account-removed": (data) => `account removed (was ${String(data.role ?? "?")})`,
  "sla-changed": (data) => `SLA ${String(data.from ?? "?")} → ${String(data.to ?? "?")} days`,
};

/** Who changed which account or SLA, and when: newest first, append-only. */
export function AccountTrailCard() {
  const query = useAdminEventsQuery();
  return (
    <Card aria-labelledby="account-trail-title">
      <CardHeader id="account-trail-title" title="Account and settings trail" description="Every account and role change, and every SLA change, with who and when. Entries are never changed or removed." />
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !query.data ? (
        <Skeleton className="h-24 w-full" label="Loading the trail" />
      ) : query.data.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
      ) : (
        <ol className="divide-y divide-slate-100 text-sm" aria-label="Account and settings trail, newest first">
          {query.data.slice(0, 50).map((event) => (
            <li key={event.id} className="flex flex-wrap gap-x-3 gap-y-0.5 py-2">
              <span className="w-44 shrink-0 text-xs text-slate-600">{formatDateTime(event.at)}</span>
              <span className="min-w-0 flex-1 text-slate-900">
                <span className="break-all font-medium">{event.subject}</span>: {(EVENT_TEXT[event.type] ?? (() => event.type))(event.data)}
              </span>
              <span className="break-all text-xs text-slate-600">by {event.actor}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

/** Accounts with their role and sign-in methods; add a local account or change a role. */
export function UsersCard() {
  const current = useCurrentUser();
  const query = useUsersQuery();
  const [created, setCreated] = useState<(UpsertUserResult & { generatedPassword: string }) | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  return (
    <Card aria-labelledby="users-title">
      <CardHeader
        id="users-title"
        title="Users"
        description="Who can sign in and what their role allows. Entra ID users appear here after their first sign-in, with the default role; change it below."
      />
      <div className="space-y-4">
        {created ? <GeneratedPassword result={created} onDismiss={() => setCreated(null)} /> : null}
        <AddUserForm
          onCreated={(result) => {
            setMessage(null);
            setCreated(result.generatedPassword ? { ...result, generatedPassword: result.generatedPassword } : null);
          }}
        />
        {message ? <FormSuccess>{message}</FormSuccess> : null}
        {query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : !query.data ? (
          <div className="space-y-2" aria-hidden>
            {Array.from({ length: 4 }, (_, index) => (
              <Skeleton key={index} className="h-10 w-full" label="Loading users" />
            ))}
          </div>
        ) : query.data.length === 0 ? (
          <EmptyState title="No accounts yet" />
        ) : (
          <TableScrollRegion label="Users table" placement="card-bottom">
            <Table caption="Accounts, their role and how they sign in" className="min-w-[60rem]">
              <TableHeader>
                <tr>
                  <TableHead>
                    User
                  </TableHead>
                  <TableHead>
                    Role
                  </TableHead>
                  <TableHead>
                    Signs in with
                  </TableHead>
                  <TableHead>
                    Added
                  </TableHead>
                  <TableHead>
                    Actions
                  </TableHead>
                </tr>
              </TableHeader>
              <TableBody>
                {query.data.map((user) => (
                  <TableRow key={user.id} className="align-top">
                    <TableCell>
                      <span className="block font-medium text-slate-900">{user.name}</span>
                      <span className="block break-all text-xs text-slate-600">{user.email}</span>
                    </TableCell>
                    <TableCell>
                      <RoleCell key={user.role} user={user} isSelf={user.email === current.email} onChanged={setMessage} />
                    </TableCell>
                    <TableCell>
                      <span className="flex flex-wrap gap-1">
                        {user.signIn.length === 0 ? <span className="text-slate-600">–</span> : null}
                        {user.signIn.map((method) => (
                          <Badge key={method} tone={method === "credential" ? "neutral" : "info"}>
                            {SIGN_IN_METHOD_LABEL[method] ?? method}
                          </Badge>
                        ))}
                      </span>
                    </TableCell>
                    <TableCell className="whitespace-nowrap text-slate-700">
                      {formatDate(user.createdAt)}
                      {user.disabledAt ? (
                        <span className="mt-1 block">
                          <Badge tone="bad">Disabled {formatDate(user.disabledAt)}</Badge>
                        </span>
                      ) : null}
                    </TableCell>
                    <TableCell>
                      <AccountActions
                        user={user}
                        isSelf={user.email === current.email}
                        onDone={(text, password) => {
                          setMessage(text);
                          setCreated(password ? { id: user.id, email: password.email, role: user.role, created: false, generatedPassword: password.generatedPassword } : null);
                        }}
                      />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableScrollRegion>
        )}
      </div>
    </Card>
  );
}
