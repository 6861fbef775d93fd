import { expect, test as setup } from "@playwright/test";
import { storageStateFor } from "./fixtures";

// Each role signs in once through the real sign-in page; specs reuse the session (storageState).
for (const role of ["viewer", "finops", "security", "admin"] as const) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByRole("button", { name: new RegExp(`Sign in as ${role}`) }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.context().storageState({ path: storageStateFor(role) });
  });
}
