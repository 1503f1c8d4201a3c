import type { MessageParams } from "../../errors.js";
import { nameKey } from "../customers/name-key.js";
import type { LostReason, Stage } from "../deps.js";

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
  customers: Map<string, number>;
  /** Imported deals by `source \0 external id`. */
  deals: Map<string, ExistingDeal>;
}

export interface ExistingDeal {
  id: number;
  number: number;
  title: string | null;
  customerId: number;
  customerKey: string;
  customerName: string;
  ownerId: number;
  amount: bigint;
  stage: Stage;
  probability: number;
  expectedCloseDate: string | null;
  createdAt: Date;
  closedAt: Date | null;
  lostReason: LostReason | null;
  lostNote: string | null;
  winNote: string | null;
  leadSource: string | null;
  deleted: boolean;
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

export interface ImportPlan {
  creates: PlannedDeal[];
  updates: DealUpdate[];
  /** Rows equal to their deal, and rows of deals deleted in Closer (left as they are). */
  unchanged: number;
  deletedSkipped: number;
  newMembers: NewMember[];
  /** Customers to create by folded name: the first spelling seen, and the first deal's values. */
  newCustomers: Map<string, { name: string; owner: OwnerRef; leadSource: string | null; createdAt: Date }>;
  rejections: ImportRejection[];
}

export function dealKey(source: string, externalId: string): string {
  return `${source}\u0000${externalId}`;
}

/**
 * Plans an import: each row's owner matched by email, then by display name (or a member to
 * create), each deal created, updated with what differs, or left as it is. Pure: the basis is
 * read beforehand and the plan written afterwards, in one transaction when committed.
 */
export function planImport(
  rows: readonly ImportDeal[],
  basis: ImportBasis,
  createMembers: boolean,
): ImportPlan {
  const owners = ownerMatcher(basis.members);
  const plan: ImportPlan = {
    creates: [],
    updates: [],
    unchanged: 0,
    deletedSkipped: 0,
    newMembers: [],
    newCustomers: new Map(),
    rejections: [],
  };
  const placeholders = new Map<string, NewMember>();
  const seen = new Map<string, number>();
  for (const deal of rows) {
    const key = dealKey(deal.source, deal.externalId);
    const first = seen.get(key);
    if (first !== undefined) {
      plan.rejections.push({
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
      plan.rejections.push(ownerRejection(deal, "import.reject.ambiguous_owner"));
      continue;
    } else if (!createMembers) {
      plan.rejections.push(ownerRejection(deal, "import.reject.unknown_owner"));
      continue;
    } else owner = { placeholder: placeholderFor(deal.owner, placeholders) };
    const customerKey = nameKey(deal.customer);
    const existing = basis.deals.get(key);
    if (!existing) {
      plan.creates.push({ deal, owner, customerKey });
      addCustomer(plan, basis, customerKey, deal, owner);
      continue;
    }
    if (existing.deleted) {
      plan.deletedSkipped++;
      continue;
    }
    const changed = changedFields(existing, deal, owner, customerKey);
    if (changed.length === 0) plan.unchanged++;
    else {
      plan.updates.push({ deal, owner, customerKey, existing, changed });
      addCustomer(plan, basis, customerKey, deal, owner);
    }
  }
  plan.newMembers = [...placeholders.values()];
  return plan;
}

/** A customer the workspace lacks: named as first seen, created when its first deal was. */
function addCustomer(plan: ImportPlan, basis: ImportBasis, key: string, deal: ImportDeal, owner: OwnerRef) {
  if (basis.customers.has(key)) return;
  const known = plan.newCustomers.get(key);
  if (!known)
    plan.newCustomers.set(key, {
      name: deal.customer,
      owner,
      leadSource: deal.leadSource,
      createdAt: deal.createdAt,
    });
  else if (deal.createdAt < known.createdAt) known.createdAt = deal.createdAt;
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

function placeholderFor(owner: ImportDeal["owner"], placeholders: Map<string, NewMember>): string {
  const email = owner.email?.toLowerCase() ?? null;
  const id = `import:${email ?? nameKey(owner.name ?? "")}`;
  if (!placeholders.has(id))
    placeholders.set(id, {
      platformUserId: id,
      displayName: (owner.name ?? nameFromEmail(email ?? "") ?? id).slice(0, 80),
      email,
    });
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

function changedFields(
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
