// Small helpers that keep generated sentences grammatical and short.

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** The verb agreeing with `count`: verb(1, "has", "have") is "has". */
export function verb(count: number, singular: string, pluralForm: string): string {
  return count === 1 ? singular : pluralForm;
}

/** "a, b, c and 4 more": keeps a sentence readable however large the cluster. */
export function formatList(items: readonly string[], limit = 5): string {
  if (items.length <= limit) return items.join(", ");
  return `${items.slice(0, limit).join(", ")} and ${items.length - limit} more`;
}
