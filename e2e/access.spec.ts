import type { Page } from "@playwright/test";
import { expect, expectAccessible, saveScreenshot, storageStateFor, test } from "./fixtures";
import { readKpis, runStoreScript, seedEstate, type SeededEstate } from "./support/store";

const DAY_MS = 86_400_000;
const utcDay = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
const trailEvents = (page: Page) => page.getByRole("list", { name: "Audit trail, oldest first" }).locator(":scope > li");
/** An account's e-mail as the Users table shows it, under the name (its action buttons name it too, for screen readers). */
const listedEmail = (page: Page, email: string) => page.getByRole("region", { name: "Users table" }).locator("tbody tr > :first-child").getByText(email, { exact: true });

const PAGES = ["/", "/trends", "/clusters", "/clusters/1", "/findings", "/findings/1", "/runs", "/settings"];

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("every page sends the visitor to sign-in, and comes back after it", async ({ page }) => {
    for (const path of PAGES) {
      await page.goto(`${path}?subscription=`);
      await expect(page, path).toHaveURL(/\/sign-in\?next=/);
      expect(new URL(page.url()).searchParams.get("next"), path).toBe(`${path}?subscription=`);
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    }
    // After signing in, the visitor lands where they were going.
    await page.goto("/sign-in?next=%2Ffindings");
    await page.getByRole("button", { name: /Sign in as viewer/ }).click();
    await expect(page).toHaveURL(/\/findings$/);
    await expect(page.getByRole("heading", { level: 1, name: "Findings" })).toBeVisible();
  });

  test("the API answers 401 to reads and writes", async ({ request }) => {
    const reads = ["/api/findings", "/api/findings/1", "/api/findings/overdue-by-owner", "/api/findings/assignees", "/api/kpis", "/api/users", "/api/settings/sla"];
    for (const url of reads) {
      const response = await request.get(url);
      expect(response.status(), url).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthenticated", message: "Sign in to use Bulkhead." } });
    }
    const write = await request.post("/api/findings/1/comments", { data: { text: "anonymous" } });
    expect(write.status()).toBe(401);
    const waive = await request.post("/api/findings/1/waiver", { data: { reason: "anonymous", expiresAt: utcDay(5) } });
    expect(waive.status()).toBe(401);
  });

  test("the sign-in page offers the demo accounts; a wrong password shows an error", async ({ page }) => {
    await page.goto("/sign-in");
    const demo = page.getByRole("region", { name: "Demo accounts" });
    for (const role of ["viewer", "finops", "security", "admin"]) await expect(demo.getByRole("button", { name: new RegExp(`Sign in as ${role}`) })).toBeVisible();
    await expectAccessible(page);
    await saveScreenshot(page, "sign-in");

    await page.getByLabel("E-mail").fill("security@demo.bulkhead.local");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("The e-mail address or password is not right.");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByLabel("E-mail")).toHaveValue("security@demo.bulkhead.local");
  });
});

test.describe("roles", () => {
  // Two production clusters of the spec's own without a policy engine: each has an open NP-01 finding.
  let estate: SeededEstate;
  const findingOf = (clusterName: string) => estate.findings.find((finding) => finding.clusterName === clusterName && finding.controlId === "NP-01")!;
  test.beforeAll(async () => {
    estate = await seedEstate([
      [
        { name: "e2e-access-roles", networkPolicy: null, production: true, owner: "e2e-access" },
        { name: "e2e-access-expiry", networkPolicy: null, production: true, owner: "e2e-access" },
      ],
    ]);
  });

  test("a security manager assigns and waives a finding; a viewer sees it and its trail but cannot change it", async ({ browser }) => {
    const finding = findingOf("e2e-access-roles");
    expect(finding).toBeDefined();
    const security = await browser.newContext({ storageState: storageStateFor("security") });
    const manager = await security.newPage();
    await manager.goto(`/findings/${finding.id}`);
    const assign = manager.getByRole("form", { name: "Assign" });
    await assign.getByLabel("Assignee").fill("team-platform");
    await assign.getByRole("button", { name: "Save assignment" }).click();
    await expect(assign.getByRole("status")).toHaveText("Assigned to team-platform.");
    const waive = manager.getByRole("form", { name: "Waive" });
    await waive.getByLabel("Reason").fill("Accepted until the network rebuild in spring.");
    await waive.getByLabel("Waived through").fill(utcDay(60));
    await waive.getByRole("button", { name: "Waive finding" }).click();
    await expect(manager.getByRole("region", { name: "Waiver in force" })).toBeVisible();
    await security.close();

    const viewer = await browser.newContext({ storageState: storageStateFor("viewer") });
    const page = await viewer.newPage();
    await page.goto(`/findings?status=waived&q=${encodeURIComponent(finding.clusterName)}`);
    const table = page.getByRole("region", { name: "Findings table" });
    await expect(table.getByRole("link", { name: new RegExp(`^${finding.controlId} `) }).first()).toBeVisible();
    await expect(table.getByRole("checkbox")).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Assign selected findings" })).toHaveCount(0);

    await page.goto(`/findings/${finding.id}`);
    await expect(page.getByRole("region", { name: "Waiver in force" })).toContainText("Accepted until the network rebuild in spring.");
    await expect(page.getByRole("region", { name: "Details" })).toContainText("team-platform");
    await expect(trailEvents(page).filter({ hasText: "Assigned to team-platform" })).toHaveCount(1);
    await expect(trailEvents(page).filter({ hasText: "Waived through" })).toHaveCount(1);
    for (const name of ["Assign", "Waive"]) await expect(page.getByRole("form", { name })).toHaveCount(0);
    await expect(page.getByLabel("Add a comment")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Revoke waiver" })).toHaveCount(0);
    await expect(page.getByText("Your role (viewer) can read findings and their trail.")).toBeVisible();
    const events = await trailEvents(page).count();

    // The API refuses the viewer's writes, with the viewer's own session.
    const writes = [
      page.request.post(`/api/findings/${finding.id}/comments`, { data: { text: "a viewer's comment" } }),
      page.request.post(`/api/findings/${finding.id}/assign`, { data: { assignee: "someone-else" } }),
      page.request.delete(`/api/findings/${finding.id}/waiver`),
      page.request.post("/api/findings/assign", { data: { ids: [finding.id], assignee: "someone-else" } }),
    ];
    for (const response of await Promise.all(writes)) {
      expect(response.status()).toBe(403);
      expect(await response.json()).toEqual({ error: { code: "forbidden", message: "Your role (viewer) may not do this." } });
    }
    await page.reload();
    await expect(trailEvents(page)).toHaveCount(events);
    await expect(page.getByRole("region", { name: "Waiver in force" })).toBeVisible();

    // Settings are for admins: no link, and the page itself is refused.
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/forbidden$/);
    await viewer.close();
  });

  test("an expired waiver reopens its finding, writes the trail and returns the finding to the KPIs", async ({ page }) => {
    const finding = findingOf("e2e-access-expiry");
    expect(finding).toBeDefined();
    // A waiver that was in force after the last collection run (the seed's) and has run out: nothing else moved meanwhile.
    const lastRunAt = Date.parse(estate.runs.newest.capturedAt);
    await expect.poll(() => Date.now() - lastRunAt, { message: "a few seconds must pass after the seeded run", timeout: 20_000 }).toBeGreaterThan(4_000);
    const start = lastRunAt + 1_000;
    const end = Date.now() - 1_000;
    const midpoint = new Date((start + end) / 2).toISOString();
    const [duringBefore, nowBefore] = [await readKpis(midpoint), await readKpis()];

    await runStoreScript(["seed-expired-waiver", "--finding", String(finding.id), "--at", new Date(start).toISOString(), "--expires", new Date(end).toISOString()]);

    // While it was in force the finding was out of the audit pass rate; now that it has expired, it is back.
    const duringAfter = await readKpis(midpoint);
    expect(duringAfter.controlsFailed).toBe(duringBefore.controlsFailed - 1);
    expect(duringAfter.auditPassRate!).toBeGreaterThan(duringBefore.auditPassRate!);
    const nowAfter = await readKpis();
    expect(nowAfter.controlsFailed).toBe(nowBefore.controlsFailed);
    expect(nowAfter.auditPassRate).toBe(nowBefore.auditPassRate);

    await page.goto(`/findings/${finding.id}`);
    await expect(page.getByRole("region", { name: "Waiver in force" })).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Details" }).getByText(/^(Open|Overdue)$/)).toBeVisible();
    await expect(trailEvents(page).filter({ hasText: "Waived through" })).toContainText("Seeded by e2e: a waiver that has run out");
    await expect(trailEvents(page).last()).toContainText("Waiver expired: the finding counts in the KPIs again");
    await expect(trailEvents(page).last()).toContainText("Bulkhead (collection run)");
    // Waivable again, like any open finding.
    await expect(page.getByRole("form", { name: "Waive" })).toBeVisible();
  });

  test("an admin manages users and the SLA per control", async ({ page }) => {
    await page.goto("/settings");
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    const users = page.getByRole("region", { name: "Users table" });
    await expect(listedEmail(page, "security@demo.bulkhead.local")).toBeVisible();
    await expect(users.getByText("Password").first()).toBeVisible();
    await expect(page.getByLabel("NP-01 Network policy engine enabled")).toHaveValue("30");
    await expectAccessible(page);
    await saveScreenshot(page, "settings");

    // A new local account: the generated password is shown once, with a copy button and a warning.
    const email = `e2e-${Date.now()}@example.com`;
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel(/^Name/).fill("Erin Example");
    await page.getByLabel("Role", { exact: true }).selectOption("security");
    await page.getByRole("button", { name: "Add account" }).click();
    const created = page.getByRole("alert").filter({ hasText: "copy the password now" });
    await expect(created).toContainText("It is shown only this once");
    const password = await created.getByLabel(`Password for ${email}`, { exact: true }).innerText();
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await expect(created.getByRole("button", { name: `Copy the password for ${email}` })).toBeVisible();
    await saveScreenshot(page, "settings-new-account");
    await expect(page.getByRole("status").filter({ hasText: `Added ${email} as Security manager.` })).toBeVisible();
    await expect(listedEmail(page, email)).toBeVisible();
    await created.getByRole("button", { name: "I have copied it" }).click();
    await expect(page.getByText(password)).toHaveCount(0);

    // Change the new account's role.
    await users.getByLabel(`Role of ${email}`).selectOption("finops");
    await users.getByRole("button", { name: "Save role" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${email} is now FinOps` })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("region", { name: "Users table" }).getByLabel(`Role of ${email}`)).toHaveValue("finops");

    // A server refusal is shown next to the form, with the field's label.
    await page.getByLabel("E-mail").fill("not-an-address");
    await page.getByRole("button", { name: "Add account" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "E-mail: must be an e-mail address" })).toBeVisible();
    // Adding an address that has an account never resets it: it is refused, saying what to do.
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Role", { exact: true }).selectOption("admin");
    await page.getByRole("button", { name: "Add account" }).click();
    await expect(page.getByRole("alert").filter({ hasText: `E-mail: ${email} already has an account (finops). Change its role or reset its password` })).toBeVisible();
    await expect(page.getByRole("region", { name: "Users table" }).getByLabel(`Role of ${email}`)).toHaveValue("finops");

    // Disable the account (its sessions end), then remove it; the trail keeps every step.
    const row = page.getByRole("region", { name: "Users table" }).locator("tr", { hasText: email });
    await row.getByRole("button", { name: `Disable ${email}` }).click();
    await row.getByRole("button", { name: "Yes" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${email} is disabled: their sessions ended and they cannot sign in.` })).toBeVisible();
    await expect(row).toContainText(/Disabled \d{1,2} \w{3} \d{4}/);
    await row.getByRole("button", { name: `Remove ${email}` }).click();
    await row.getByRole("button", { name: "Yes" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${email} was removed` })).toBeVisible();
    const trail = page.getByRole("list", { name: "Account and settings trail, newest first" });
    await expect(trail.locator("li").filter({ hasText: email }).first()).toContainText("account removed (was finops)");
    await expect(trail.locator("li").filter({ hasText: email })).toHaveCount(4);
    await expect(trail).toContainText("role security → finops");

    // SLA: change one control, save, and see it kept.
    const np06 = page.getByLabel("NP-06 No allow-any rules");
    await np06.fill("21");
    await page.getByRole("button", { name: "Save SLA" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved 1 SLA." })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("NP-06 No allow-any rules")).toHaveValue("21");
    await page.getByRole("button", { name: "Use default for NP-06" }).click();
    await page.getByRole("button", { name: "Save SLA" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved 1 SLA." })).toBeVisible();
    await expect(page.getByLabel("NP-06 No allow-any rules")).toHaveValue("14");
    await page.reload();
    await expect(page.getByRole("list", { name: "Account and settings trail, newest first" }).locator("li").first()).toContainText("NP-06: SLA 21 → 14 days");
  });
});
