/**
 * A member an import creates for an owner Closer has not met yet has no platform user: its
 * platform user id is this prefix and the owner's email (`import:ann@acme.com`), or their folded
 * name when the file gives no email. A platform user with that email later takes the member over.
 */
export const PLACEHOLDER_PREFIX = "import:";

/** The platform user id of the member an import creates for an owner known by `key` (an email or a folded name). */
export function placeholderId(key: string): string {
  return `${PLACEHOLDER_PREFIX}${key}`;
}

/** An email as members keep it, trimmed and lower-cased (platforms and files vary the case); null when empty. */
export function emailKey(email: string | null | undefined): string | null {
  const key = email?.trim().toLowerCase();
  return key ? key : null;
}
