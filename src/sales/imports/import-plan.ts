import { createHash } from "node:crypto";
import type { MessageParams } from "../../errors.js";
import { nameKey } from "../customers/name-key.js";
import type { LostReason, Stage } from "../deps.js";
import { emailKey, placeholderId } from "../members/placeholder-member.js";

/** A deal as a file gives it, its values already read in the workspace's locale. */
export interface ImportDeal {
  /** The file's line where the row starts: rejections and errors name it. */
  line: number;
  /** The system the record comes from and its id there: the deal's key across imports. */
  source: string;
  externalId: string;
  title: string | null;
  customer: string;
  owner: { email: string | null; name: string | null };
  amount: bigint;
  stage: Stage;
  probability: number;
  expectedCloseDate: string | null;
  createdAt: Date;
  /** When it was won or lost; null while open. */
  closedAt: Date | null;
  lostReason: LostReason | null;
  lostNote: string | null;
  winNote: string | null;
  leadSource: string | null;
  /** A person at the customer the row names (a CRM's contact columns), checked; null when none. */
  contact?: { name: string; role: string | null; email: string | null; phone: string | null } | null;
  /** The catalogue's products it carries, by name; a name the catalogue lacks is added. Absent: none read. */
  products?: string[] | undefined;
}

/** A row the import leaves out, with the column at fault and why (a catalog key). */
export interface ImportRejection {
  line: number;
  field: string;
  key: "import.reject.unknown_owner" | "import.reject.ambiguous_owner" | "import.reject.duplicate_id";
  params: MessageParams;
}

/** What the workspace holds that an import matches rows against. */
export interface ImportBasis {
  members: { id: number; displayName: string; email: string | null; platformUserId: string }[];
  /** Customers by folded name; the writer adds those it creates, so later batches find them. */
  customers: Map<string, number>;
  /** Imported deals by `source, unit separator, external id`. */
  deals: Map<string, KnownDeal>;
}

/** An imported deal as the planner knows it: enough to tell whether a row would change it. */
export interface KnownDeal {
  id: number;
  deleted: boolean;
  /** {@link dealFingerprint} of the deal as it is. */
  fingerprint: string;
}

/** An imported deal as it is, read when a row's fingerprint differs: what an import sets on it. */
export interface ExistingDeal
  extends Pick<
    ImportDeal,
    | "title"
    | "amount"
    | "stage"
    | "probability"
    | "expectedCloseDate"
    | "createdAt"
    | "closedAt"
    | "lostReason"
    | "lostNote"
    | "winNote"
    | "leadSource"
  > {
  id: number;
  customerKey: string;
  customerName: string;
  ownerId: number;
}

/** A member the import creates for an owner Closer does not know (`--create-members`). */
export interface NewMember {
  platformUserId: string;
  displayName: string;
  email: string | null;
}

/** An owner: a member who exists, or one the import creates, by platform user id. */
export type OwnerRef = { id: number } | { placeholder: string };

export interface PlannedDeal {
  deal: ImportDeal;
  owner: OwnerRef;
  customerKey: string;
}

export interface DealUpdate extends PlannedDeal {
  existing: ExistingDeal;
  changed: ChangedField[];
}

/** A row whose deal differs from it, by fingerprint: compared field by field once the deal is read. */
export interface Differing extends PlannedDeal {
  id: number;
}

export type ChangedField =
  | "title"
  | "customer"
  | "owner"
  | "amount"
  | "stage"
  | "probability"
  | "expected_close_date"
  | "closed_at"
  | "created_at"
  | "lost_reason"
  | "lost_note"
  | "win_note"
  | "lead_source";

export interface NewCustomer {
  name: string;
  owner: OwnerRef;
  leadSource: string | null;
  createdAt: Date;
}

/** What one batch of rows makes: the deals to create, those that may change, and the new members and customers. */
export interface BatchPlan {
  creates: PlannedDeal[];
  differing: Differing[];
  newMembers: NewMember[];
  /** Customers first named in this batch, by folded name: the first spelling seen, its deal's values. */
  newCustomers: Map<string, NewCustomer>;
}

/** How many of each an import made (or, in a dry run, would make). */
export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  deletedSkipped: number;
  customers: number;
  members: number;
}

export function dealKey(source: string, externalId: string): string {
  return `${source}\u001f${externalId}`;
}

const SEPARATOR = "\u001f";
const NULL = "\u001e";

/**
 * What an import sets on a deal, as one string: two deals with the same fingerprint need no update.
 * `dealFingerprintSql` computes the same from a deal row, so the workspace's deals are compared
 * without being read whole.
 */
export function dealFingerprint(deal: ImportDeal, ownerId: number, customerKey: string): string {
  const parts = [
    deal.title ?? NULL,
    customerKey,
    String(ownerId),
    deal.amount.toString(),
    deal.stage,
    String(deal.probability),
    deal.leadSource ?? NULL,
    deal.expectedCloseDate ?? NULL,
    deal.closedAt ? String(deal.closedAt.getTime()) : NULL,
    String(deal.createdAt.getTime()),
    deal.lostReason ?? NULL,
    deal.lostNote ?? NULL,
    deal.winNote ?? NULL,
  ];
  return createHash("md5").update(parts.join(SEPARATOR)).digest("hex");
}

/** {@link dealFingerprint} of the deal row `d` joined to its customer `c`, for a raw query. */
export const DEAL_FINGERPRINT_SQL = (() => {
  const nul = "E'\\x1e'";
  const or = (column: string) => `coalesce(${column}, ${nul})`;
  const millis = (column: string) => `((extract(epoch FROM ${column}) * 1000)::bigint)::text`;
  const parts = [
    or("d.title"),
    "c.name_key",
    "d.owner_id::text",
    "d.amount::text",
    "d.stage::text",
    "d.probability::text",
    or("d.lead_source"),
    or("to_char(d.expected_close_date, 'YYYY-MM-DD')"),
    or(millis("d.closed_at")),
    millis("d.created_at"),
    or("d.lost_reason::text"),
    or("d.lost_note"),
    or("d.win_note"),
  ];
  return `md5(concat_ws(E'\\x1f', ${parts.join(", ")}))`;
})();

/**
 * Plans an import batch by batch: each row's owner matched by email, then by display name (or a
 * member to create), each deal to create, to compare with the deal it updates, or left as it is.
 * Pure: the basis is read beforehand, and batches are written (or only counted) as they are planned.
 */
export function createImportPlanner(basis: ImportBasis, createMembers: boolean) {
  const owners = ownerMatcher(basis.members);
  const placeholders = new Map<string, NewMember>();
  const seen = new Map<string, number>();
  const plannedCustomers = new Set<string>();
  const rejections: ImportRejection[] = [];
  const counts: ImportCounts = {
    created: 0,
    updated: 0,
    unchanged: 0,
    deletedSkipped: 0,
    customers: 0,
    members: 0,
  };

  function plan(rows: readonly ImportDeal[]): BatchPlan {
    const batch: BatchPlan = { creates: [], differing: [], newMembers: [], newCustomers: new Map() };
    for (const deal of rows) {
      const key = dealKey(deal.source, deal.externalId);
      const first = seen.get(key);
      if (first !== undefined) {
        rejections.push({
          line: deal.line,
          field: "id",
          key: "import.reject.duplicate_id",
          params: { id: deal.externalId, line: first },
        });
        continue;
      }
      seen.set(key, deal.line);
      const match = owners(deal.owner);
      let owner: OwnerRef;
      if (match.kind === "member") owner = { id: match.id };
      else if (match.kind === "ambiguous") {
        rejections.push(ownerRejection(deal, "import.reject.ambiguous_owner"));
        continue;
      } else if (!createMembers) {
        rejections.push(ownerRejection(deal, "import.reject.unknown_owner"));
        continue;
      } else owner = { placeholder: placeholderFor(deal.owner, placeholders, batch) };
      const customerKey = nameKey(deal.customer);
      const known = basis.deals.get(key);
      if (known?.deleted) {
        counts.deletedSkipped++;
        continue;
      }
      if (known && "id" in owner && dealFingerprint(deal, owner.id, customerKey) === known.fingerprint) {
        counts.unchanged++;
        continue;
      }
      if (known) batch.differing.push({ deal, owner, customerKey, id: known.id });
      else batch.creates.push({ deal, owner, customerKey });
      if (!basis.customers.has(customerKey) && !plannedCustomers.has(customerKey)) {
        plannedCustomers.add(customerKey);
        batch.newCustomers.set(customerKey, {
          name: deal.customer,
          owner,
          leadSource: deal.leadSource,
          createdAt: deal.createdAt,
        });
      }
    }
    counts.created += batch.creates.length;
    counts.customers += batch.newCustomers.size;
    counts.members += batch.newMembers.length;
    return batch;
  }

  return { plan, rejections, counts };
}

type OwnerMatch = { kind: "member"; id: number } | { kind: "ambiguous" } | { kind: "unknown" };

function ownerMatcher(members: ImportBasis["members"]) {
  const byEmail = new Map<string, number>();
  const byName = new Map<string, number[]>();
  for (const m of members) {
    if (m.email) byEmail.set(m.email.toLowerCase(), m.id);
    const key = nameKey(m.displayName);
    byName.set(key, [...(byName.get(key) ?? []), m.id]);
  }
  return (owner: ImportDeal["owner"]): OwnerMatch => {
    const email = owner.email?.toLowerCase();
    const byMail = email ? byEmail.get(email) : undefined;
    if (byMail !== undefined) return { kind: "member", id: byMail };
    const named = owner.name ? byName.get(nameKey(owner.name)) : undefined;
    if (named?.length === 1 && named[0] !== undefined) return { kind: "member", id: named[0] };
    if (named && named.length > 1) return { kind: "ambiguous" };
    return { kind: "unknown" };
  };
}

function placeholderFor(
  owner: ImportDeal["owner"],
  placeholders: Map<string, NewMember>,
  batch: BatchPlan,
): string {
  const email = emailKey(owner.email);
  const id = placeholderId(email ?? nameKey(owner.name ?? ""));
  if (!placeholders.has(id)) {
    const member = {
      platformUserId: id,
      displayName: (owner.name ?? nameFromEmail(email ?? "") ?? id).slice(0, 80),
      email,
    };
    placeholders.set(id, member);
    batch.newMembers.push(member);
  }
  return id;
}

/** `lucas.bernard@example.com` -> `Lucas Bernard`: how people's work addresses are usually made. */
function nameFromEmail(email: string): string | undefined {
  const local = email.split("@")[0];
  if (!local) return undefined;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(" ");
}

function ownerRejection(deal: ImportDeal, key: ImportRejection["key"]): ImportRejection {
  return {
    line: deal.line,
    field: "owner",
    key,
    params: { owner: deal.owner.email ?? deal.owner.name ?? "" },
  };
}

export function changedFields(
  was: ExistingDeal,
  now: ImportDeal,
  owner: OwnerRef,
  customerKey: string,
): ChangedField[] {
  const time = (d: Date | null) => d?.getTime() ?? null;
  const checks: [ChangedField, boolean][] = [
    ["title", was.title !== now.title],
    ["customer", was.customerKey !== customerKey],
    ["owner", !("id" in owner) || owner.id !== was.ownerId],
    ["amount", was.amount !== now.amount],
    ["stage", was.stage !== now.stage],
    ["probability", was.probability !== now.probability],
    ["expected_close_date", was.expectedCloseDate !== now.expectedCloseDate],
    ["closed_at", time(was.closedAt) !== time(now.closedAt)],
    ["created_at", time(was.createdAt) !== time(now.createdAt)],
    ["lost_reason", was.lostReason !== now.lostReason],
    ["lost_note", was.lostNote !== now.lostNote],
    ["win_note", was.winNote !== now.winNote],
    ["lead_source", was.leadSource !== now.leadSource],
  ];
  return checks.filter(([, differs]) => differs).map(([field]) => field);
}
