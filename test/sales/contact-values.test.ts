import { describe, expect, it } from "vitest";
import { phoneCountry, readEmail, readPhone, showPhone } from "../../src/sales/contacts/contact-values.js";

const FR_EUR = { locale: "fr", currency: "EUR" };
const EN_EUR = { locale: "en", currency: "EUR" };
const EN_GBP = { locale: "en", currency: "GBP" };

describe("contact values", () => {
  it.each([
    [FR_EUR, "FR"],
    [EN_EUR, undefined],
    [EN_GBP, "GB"],
    [{ locale: "fr", currency: "CAD" }, "CA"],
    [{ locale: "en", currency: "XYZ" }, undefined],
  ])("GIVEN %j THEN national numbers are read in %s", (ws, country) => {
    expect(phoneCountry(ws)).toBe(country);
  });

  it.each([
    ["01 23 45 67 89", FR_EUR, "+33123456789"],
    ["06.12.34.56.78", FR_EUR, "+33612345678"],
    ["0033 6 12 34 56 78", EN_EUR, "+33612345678"],
    ["+44 20 7946 0958", EN_EUR, "+442079460958"],
    ["020 7946 0958", EN_GBP, "+442079460958"],
    ["01 23 45 67 89", EN_EUR, null],
    ["+33 1 23", FR_EUR, null],
    ["call 0612345678", FR_EUR, null],
    ["", FR_EUR, null],
  ])("GIVEN the phone %s in %j THEN it is %s", (text, ws, e164) => {
    expect(readPhone(text, ws)).toBe(e164);
  });

  it("GIVEN emails THEN valid ones are kept in lower case and others refused", () => {
    expect(readEmail(" Jane.Doe@Acme.COM ")).toBe("jane.doe@acme.com");
    for (const bad of [
      "jane",
      "jane@",
      "@acme.com",
      "jane doe@acme.com",
      "jane@acme",
      `${"a".repeat(250)}@acme.com`,
    ])
      expect(readEmail(bad), bad).toBeNull();
  });

  it("GIVEN an E.164 number THEN it is shown with its country's spacing", () => {
    expect(showPhone("+33612345678")).toBe("+33 6 12 34 56 78");
    expect(showPhone("+12125550123")).toBe("+1 212 555 0123");
  });
});
