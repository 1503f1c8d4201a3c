import { describe, expect, it } from "vitest";
import { parseAmountCell, parseDateCell, parseProbabilityCell } from "../../src/transfer/import-values.js";

const en = { locale: "en", currency: "EUR", timezone: "Europe/Paris" } as const;
const fr = { locale: "fr", currency: "EUR", timezone: "Europe/Paris" } as const;

describe("parseAmountCell", () => {
  it.each([
    ["", en, 0n],
    ["18500", en, 1850000n],
    ["31250.50", en, 3125050n],
    ["31250.5", fr, 3125050n],
    ["12,500.00", en, 1250000n],
    ["€12,500", en, 1250000n],
    ["12\u00a0500,00", fr, 1250000n],
    ["12\u202f500,00", fr, 1250000n],
    ["950,00", fr, 95000n],
    ["12.500", fr, 1250000n],
    ["0", en, 0n],
    ["0.00", en, 0n],
  ] as const)("GIVEN %j in %o THEN reads %s minor units", (text, ctx, minor) => {
    expect(parseAmountCell(text, ctx)).toEqual({ ok: true, value: minor });
  });

  it.each([
    ["TBD", en],
    ["-500", en],
    ["12.345", en],
    ["12 000,50", en],
    ["$12,000", en],
    ["1e5", en],
  ] as const)("GIVEN %j in %o THEN refuses it", (text, ctx) => {
    expect(parseAmountCell(text, ctx)).toEqual({ ok: false });
  });
});

describe("parseDateCell", () => {
  it.each([
    ["2025-04-01", en, "2025-04-01", "2025-03-31T22:00:00.000Z"],
    ["2025-04-01 10:15", en, "2025-04-01", "2025-04-01T08:15:00.000Z"],
    ["2025-04-01T10:15:00Z", en, "2025-04-01", "2025-04-01T10:15:00.000Z"],
    ["2025-01-15T23:30:00.000Z", en, "2025-01-16", "2025-01-15T23:30:00.000Z"],
    ["01/04/2025 10:15", fr, "2025-04-01", "2025-04-01T08:15:00.000Z"],
    ["1/4/2025", fr, "2025-04-01", "2025-03-31T22:00:00.000Z"],
    ["4/1/2025", en, "2025-04-01", "2025-03-31T22:00:00.000Z"],
    ["4/1/2025 3:05 PM", en, "2025-04-01", "2025-04-01T13:05:00.000Z"],
  ] as const)("GIVEN %j in %o THEN it is the day %s starting or happening at %s", (text, ctx, date, at) => {
    const parsed = parseDateCell(text, ctx);
    expect(parsed.ok && { date: parsed.value.date, at: parsed.value.at.toISOString() }).toEqual({ date, at });
  });

  it.each([
    ["2025-13-07 09:00", en],
    ["13/25/2025", en],
    ["25/04/2025", en],
    ["04/25/2025", fr],
    ["yesterday", en],
    ["", en],
    ["1899-01-01", en],
  ] as const)("GIVEN %j in %o THEN refuses it", (text, ctx) => {
    expect(parseDateCell(text, ctx)).toEqual({ ok: false });
  });
});

describe("parseProbabilityCell", () => {
  it.each([
    ["", null],
    ["20", 20],
    ["20%", 20],
    ["20 %", 20],
    ["62,5", 63],
    ["100", 100],
  ] as const)("GIVEN %j THEN reads %s", (text, value) => {
    expect(parseProbabilityCell(text)).toEqual({ ok: true, value });
  });

  it.each(["101", "high", "-5"])("GIVEN %j THEN refuses it", (text) => {
    expect(parseProbabilityCell(text)).toEqual({ ok: false });
  });
});
