import "server-only";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

export interface WebhookMessage {
  /** One line a person reads in Teams or Slack. */
  text: string;
  event: "finding.assigned" | "finding.overdue";
  findings: { id: number; controlId: string; cluster: string; owner: string; assignee: string | null; dueAt: string; url: string }[];
}

const TIMEOUT_MS = 5_000;

/**
 * Posts to BULKHEAD_WEBHOOK_URL, if set. `text` is what Slack and Teams incoming webhooks show;
 * the structured fields are for other receivers. A failing webhook never fails the user's action.
 */
export async function sendWebhook(message: WebhookMessage): Promise<"sent" | "skipped" | "failed"> {
  const url = getEnv().BULKHEAD_WEBHOOK_URL;
  if (!url) return "skipped";
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) {
      // The URL itself is a secret (it authorises posting): log the host only.
      logger.warn({ host: new URL(url).host, status: response.status, event: message.event }, "the webhook refused a notification");
      return "failed";
    }
    return "sent";
  } catch (error) {
    logger.warn({ host: new URL(url).host, event: message.event, cause: (error as Error).name }, "the webhook could not be reached");
    return "failed";
  }
}
