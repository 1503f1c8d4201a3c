import { STAGE_WORDS } from "../messages/vocabulary.js";
import type { Stage } from "../sales/deps.js";

/**
 * What an import reads from a row. `close_date` is a CRM's one "Close Date" column: when the deal
 * closed if it is won or lost, else when it is expected to; `status` is Pipedrive's Open/Won/Lost,
 * which decides over the stage. `contact_*` name a person at the customer, added to its contacts.
 */
export const IMPORT_FIELDS = [
  "id",
  "title",
  "customer",
  "owner",
  "owner_email",
  "amount",
  "currency",
  "stage",
  "status",
  "probability",
  "close_date",
  "expected_close_date",
  "closed_at",
  "created_at",
  "lost_reason",
  "lost_note",
  "win_note",
  "lead_source",
  "external_source",
  "contact_name",
  "contact_role",
  "contact_email",
  "contact_phone",
  "products",
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];

export const PRESET_NAMES = ["hubspot", "pipedrive", "salesforce", "closer"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  /** Each field's column names, first present wins; a field read from several columns takes the first non-empty. */
  columns: Partial<Record<ImportField, string[]>>;
  /** The CRM's default pipeline, by folded stage name. */
  stages: Record<string, Stage>;
}

export const PRESETS: Record<PresetName, Preset> = {
  hubspot: {
    columns: {
      id: ["Record ID", "Deal ID", "ID de fiche d'informations"],
      title: ["Deal Name", "Nom de la transaction"],
      customer: ["Associated Company", "Associated Company (Primary)", "Entreprise associée"],
      owner: ["Deal owner", "Propriétaire de la transaction"],
      amount: ["Amount", "Montant"],
      currency: ["Currency", "Deal currency code", "Devise"],
      stage: ["Deal Stage", "Phase de la transaction"],
      close_date: ["Close Date", "Date de fermeture"],
      created_at: ["Create Date", "Date de création"],
      lost_reason: ["Closed Lost Reason", "Raison de la perte de la transaction", "Raison de la perte"],
      win_note: ["Closed Won Reason", "Raison du succès"],
      lead_source: ["Original Source", "Source d'origine"],
      contact_name: ["Associated Contact", "Associated Contact (Primary)", "Contact associé"],
      contact_email: ["Associated Contact Email", "E-mail du contact associé"],
    },
    stages: {
      "appointment scheduled": "lead",
      "qualified to buy": "qualified",
      "presentation scheduled": "proposal",
      "decision maker bought in": "negotiation",
      "contract sent": "negotiation",
      "closed won": "won",
      "closed lost": "lost",
      "rendez vous programme": "lead",
      "qualifie pour l achat": "qualified",
      "presentation programmee": "proposal",
      "decideur implique": "negotiation",
      "contrat envoye": "negotiation",
      "conclu gagne": "won",
      "conclu perdu": "lost",
      "ferme gagne": "won",
      "ferme perdu": "lost",
    },
  },
  pipedrive: {
    columns: {
      id: ["Deal - ID", "ID"],
      title: ["Deal - Title", "Title"],
      customer: ["Deal - Organization", "Organization", "Deal - Organisation"],
      owner: ["Deal - Owner", "Owner"],
      amount: ["Deal - Value", "Value"],
      currency: ["Deal - Currency", "Currency"],
      stage: ["Deal - Stage", "Stage"],
      status: ["Deal - Status", "Status"],
      expected_close_date: ["Deal - Expected close date", "Expected close date"],
      closed_at: ["Deal - Won time", "Won time", "Deal - Lost time", "Lost time"],
      created_at: ["Deal - Deal created", "Deal created"],
      lost_reason: ["Deal - Lost reason", "Lost reason"],
      probability: ["Deal - Probability", "Probability"],
      contact_name: ["Deal - Contact person", "Contact person", "Person - Name"],
      contact_role: ["Person - Job title"],
      contact_email: ["Person - Email", "Person - Email - Work"],
      contact_phone: ["Person - Phone", "Person - Phone - Work"],
    },
    stages: {
      "lead in": "lead",
      "contact made": "qualified",
      "demo scheduled": "qualified",
      "needs defined": "qualified",
      "proposal made": "proposal",
      "negotiations started": "negotiation",
    },
  },
  salesforce: {
    columns: {
      id: ["Opportunity ID", "Opportunity ID (18)", "Id"],
      title: ["Opportunity Name"],
      customer: ["Account Name"],
      owner: ["Opportunity Owner", "Owner Full Name"],
      owner_email: ["Owner Email", "Opportunity Owner Email"],
      amount: ["Amount"],
      currency: ["Opportunity Currency", "Amount Currency"],
      stage: ["Stage"],
      close_date: ["Close Date"],
      created_at: ["Created Date"],
      lead_source: ["Lead Source"],
      probability: ["Probability (%)", "Probability"],
      contact_name: ["Contact Name", "Primary Contact"],
      contact_role: ["Contact Title", "Contact: Title"],
      contact_email: ["Contact Email", "Contact: Email"],
      contact_phone: ["Contact Phone", "Contact: Phone"],
    },
    stages: {
      prospecting: "lead",
      qualification: "qualified",
      "needs analysis": "qualified",
      "value proposition": "proposal",
      "id decision makers": "proposal",
      "perception analysis": "proposal",
      "proposal price quote": "proposal",
      "negotiation review": "negotiation",
      "closed won": "won",
      "closed lost": "lost",
    },
  },
  closer: {
    columns: {
      id: ["external_id", "number"],
      external_source: ["external_source"],
      title: ["title"],
      customer: ["customer"],
      owner: ["owner"],
      owner_email: ["owner_email"],
      amount: ["amount"],
      currency: ["currency"],
      stage: ["stage"],
      probability: ["probability"],
      expected_close_date: ["expected_close_date"],
      closed_at: ["closed_at"],
      created_at: ["created_at"],
      lost_reason: ["lost_reason"],
      lost_note: ["lost_note"],
      win_note: ["win_note"],
      lead_source: ["lead_source"],
      products: ["products"],
    },
    stages: {},
  },
};

/** A folded stage name's meaning in a preset: its pipeline, then ours (en, fr), then any "closed won/lost". */
export function presetStage(preset: Preset, key: string): Stage | undefined {
  const known = preset.stages[key] ?? STAGE_WORDS.read(key);
  if (known) return known;
  if (/\b(won|gagnee?)$/.test(key)) return "won";
  if (/\b(lost|perdue?)$/.test(key)) return "lost";
  return undefined;
}
