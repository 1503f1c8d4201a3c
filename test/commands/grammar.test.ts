import { describe, expect, it } from "vitest";
import type { ParseContext } from "../../src/commands/command.js";
import { splitAmount } from "../../src/commands/deal.js";
import { tokenize, tokenizeLine } from "../../src/commands/grammar/tokenize.js";
import { selectCommand } from "../../src/commands/registry.js";

const en: ParseContext = {
  locale: "en",
  currency: "EUR",
  timezone: "UTC",
  weekStart: "monday",
  fiscalYearStart: 1,
  now: new Date("2026-11-18T10:00:00Z"),
};
const fr: ParseContext = { ...en, locale: "fr" };

describe("tokenize", () => {
  it("GIVEN options, quotes, mentions and deal numbers THEN each becomes its own token", () => {
    expect(tokenize('12k Acme Corp stage:proposal title:"Big one" for:@alice #12 <@U123|bob> <@U9>')).toEqual(
      [
        { kind: "word", text: "12k" },
        { kind: "word", text: "Acme" },
        { kind: "word", text: "Corp" },
        { kind: "option", key: "stage", value: "proposal" },
        { kind: "option", key: "title", value: "Big one" },
        {
          kind: "option",
          key: "for",
          value: "@alice",
          ref: { platformUserId: "alice", displayName: "alice" },
        },
        { kind: "deal", number: 12, text: "#12" },
        { kind: "mention", ref: { platformUserId: "U123", displayName: "bob" }, text: "<@U123|bob>" },
        { kind: "mention", ref: { platformUserId: "U9", displayName: undefined }, text: "<@U9>" },
      ],
    );
  });

  it("GIVEN French quotes THEN the value keeps its spaces", () => {
    expect(tokenize("note:«très bon contact» note:“x y”")).toEqual([
      { kind: "option", key: "note", value: "très bon contact" },
      { kind: "option", key: "note", value: "x y" },
    ]);
  });

  it("GIVEN a URL, a time or a quoted word THEN a word; GIVEN an unknown key THEN an option, for the command to refuse", () => {
    expect(tokenize('https://acme.example 10:30 "ratio:3/4" color:red étape:proposition')).toEqual([
      { kind: "word", text: "https://acme.example" },
      { kind: "word", text: "10:30" },
      { kind: "word", text: "ratio:3/4" },
      { kind: "option", key: "color", value: "red" },
      { kind: "option", key: "étape", value: "proposition" },
    ]);
  });

  it("GIVEN a quote left open THEN the line names it; GIVEN an apostrophe opening a word THEN nothing is open", () => {
    expect(tokenizeLine('5k Acme title:"open deal').unclosed).toBe('title:"open');
    expect(tokenizeLine("5k «Acme").unclosed).toBe("«Acme");
    expect(tokenizeLine("5k 's-Hertogenbosch title:'x'").unclosed).toBeUndefined();
  });
});

describe("splitAmount", () => {
  it.each([
    [en, "12k Acme", "12k", ["Acme"]],
    [en, "12 000 Acme Corp", "12 000", ["Acme", "Corp"]],
    [fr, "12 000,50 € Globex", "12 000,50 €", ["Globex"]],
    [en, "€ 12k Initech", "€ 12k", ["Initech"]],
    [en, "abc Acme", "abc", ["Acme"]],
  ])(
    "GIVEN %#: THEN the amount is the longest prefix that parses, leaving a customer",
    (p, text, amount, rest) => {
      expect(splitAmount(text.split(" "), p)).toEqual({ amount, rest });
    },
  );
});

describe("selectCommand", () => {
  it.each([
    ["deal", "log 12k Acme", "deal log", 2],
    ["deal", "", "deal", 0],
    ["goal", "set 50k company", "goal set", 2],
    ["goal", "@alice", "goal", 1],
    ["customer", "list dormant", "customer list", 1],
    ["customer", "Acme Corp", "customer", 2],
    ["closer", "config set locale fr", "closer config set", 2],
    ["closer", "", "closer help", 0],
    ["remind", "#3 tomorrow call back", "remind", 4],
  ])("GIVEN /%s %s THEN it selects %s", (slash, text, name, args) => {
    const selected = selectCommand(slash, tokenize(text));
    expect(selected?.command.name).toBe(name);
    expect(selected?.args.length).toBe(args);
  });

  it("GIVEN an unknown slash command THEN nothing is selected", () => {
    expect(selectCommand("dael", tokenize("log 12k Acme"))).toBeUndefined();
  });
});
