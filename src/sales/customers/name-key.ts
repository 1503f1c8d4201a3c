/**
 * The folded form of a customer or team name: lower case, accents and punctuation removed,
 * white space collapsed, so "ACME Corp." and "acme corp" are one customer.
 */
export function nameKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
