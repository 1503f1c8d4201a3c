import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { z } from "zod";

/** How long a contact's name, role and email may be: what a chat line shows whole. */
export const CONTACT_NAME_MAX = 120;
export const CONTACT_ROLE_MAX = 80;
export const CONTACT_EMAIL_MAX = 254;

/** What a phone number's parsing needs of the workspace: its language and currency. */
export interface PhoneContext {
  locale: string;
  currency: string;
}

/**
 * Currencies one country mostly uses: a workspace paid in them dials that country's numbers. The
 * euro is many countries' and says nothing alone; in a French workspace it means France.
 */
const CURRENCY_COUNTRY: Record<string, CountryCode> = {
  USD: "US",
  GBP: "GB",
  CAD: "CA",
  CHF: "CH",
  AUD: "AU",
  NZD: "NZ",
  JPY: "JP",
  INR: "IN",
  SEK: "SE",
  NOK: "NO",
  DKK: "DK",
  PLN: "PL",
  BRL: "BR",
  MXN: "MX",
  ZAR: "ZA",
  SGD: "SG",
  MAD: "MA",
  XOF: "SN",
};

/**
 * The country whose national numbers a workspace types without `+`: its currency's country, or
 * France for a French workspace in euros; none otherwise, and then a number must be international.
 */
export function phoneCountry(ws: PhoneContext): CountryCode | undefined {
  const currency = ws.currency.toUpperCase();
  if (currency === "EUR") return ws.locale === "fr" ? "FR" : undefined;
  return CURRENCY_COUNTRY[currency];
}

/** Only what people write in a phone number: digits, `+`, spaces, dots, dashes, slashes and brackets. */
const PHONE_CHARACTERS = /^\+?[\d\s().\-/]{3,30}$/;

/**
 * A phone number as typed, in E.164 (`+33123456789`), or null when it is not a number: read in the
 * workspace's country unless it starts with `+` (or `00`), and valid for its country's lengths.
 */
export function readPhone(text: string, ws: PhoneContext): string | null {
  const trimmed = text.trim().replace(/^00/, "+");
  if (!PHONE_CHARACTERS.test(trimmed)) return null;
  const country = trimmed.startsWith("+") ? undefined : phoneCountry(ws);
  if (!trimmed.startsWith("+") && !country) return null;
  const parsed = parsePhoneNumberFromString(trimmed, country);
  return parsed?.isValid() ? parsed.number : null;
}

/** A stored E.164 number as people read it: `+33 1 23 45 67 89`. */
export function showPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

const EMAIL = z.email().max(CONTACT_EMAIL_MAX);

/** An email address in lower case, or null when it is not one. */
export function readEmail(text: string): string | null {
  const lower = text.trim().toLowerCase();
  return EMAIL.safeParse(lower).success ? lower : null;
}
