import { describe, expect, it } from "vitest";
import { figuresOfBest, firstDifference } from "../../bench/kpi/check.js";

describe("bench/kpi check: the best SQL's figures against the command's", () => {
  it("GIVEN the same integers as number, bigint and int8 text THEN finds no difference", () => {
    expect(firstDifference([{ n: 3, total: 12n }], [{ n: 3n, total: "12" }])).toBeNull();
  });

  it("GIVEN a mean computed in float8 and in numeric THEN agrees to 10 significant digits only", () => {
    expect(firstDifference({ cycle: 14.123456789012 }, { cycle: 14.123456789049 })).toBeNull();
    expect(firstDifference({ cycle: 14.1234 }, { cycle: 14.1235 })).toBe(
      '$.cycle: "14.12340000" vs "14.12350000"',
    );
  });

  it("GIVEN rows that differ THEN names the first difference by its path", () => {
    expect(firstDifference([{ a: 1, b: 2 }], [{ a: 1, b: 3 }])).toBe('$[0].b: "2" vs "3"');
    expect(firstDifference([{ a: 1 }], [])).toBe("$: 1 rows vs 0");
  });

  it("GIVEN the digest statements' rows THEN splits the grouping sets and applies the digest's rules", () => {
    const closed = [
      { grouping: 3, won: 3, lost: 2, revenue: 900n, lost_amount: 50n, won_so_far: 2, revenue_so_far: 700n },
      // won deals have no lost reason: their group counts no loss and is no lost reason
      { grouping: 1, reason: null, won: 3, lost: 0, revenue: 900n, lost_amount: 0n },
      { grouping: 1, reason: "price", won: 0, lost: 2, revenue: 0n, lost_amount: 50n },
      { grouping: 2, source: "web", won: 1, lost: 2, revenue: 100n },
      { grouping: 2, source: null, won: 2, lost: 0, revenue: 800n },
    ];
    const people = [
      { kind: "top", name: "ann", actual: 800n, deals: 2 },
      { kind: "member", name: "bob", active: true, metric: "revenue", actual: 100n, target: 1000n },
      { kind: "member", name: "ann", active: true, metric: "revenue", actual: 800n, target: 1000n },
      { kind: "member", name: "cy", active: false, metric: "revenue", actual: 0n, target: 1000n },
      { kind: "company", metric: "deals", target: 10n },
      { kind: "company", metric: "revenue", target: 5000n },
    ];
    const figures = figuresOfBest(
      [closed, [{ new_count: 4, new_amount: 40n, weighted: 25n }], people, [], []],
      0.5,
    );
    expect(figures.won).toEqual({ revenue: 900n, count: 3 });
    expect(figures.weightedForecast).toBe(925n);
    expect(figures.goals).toEqual([
      { metric: "revenue", actual: 700n, target: 5000n },
      { metric: "deals", actual: 2, target: 10n },
    ]);
    expect(figures.lost).toEqual([{ reason: "price", count: 2 }]);
    expect(figures.sources.items.map((s) => s.source)).toEqual([null, "web"]);
    // at half the month, 10% is behind pace and 80% ahead; a removed member is not listed
    expect(figures.behind).toEqual({ items: [{ name: "bob", attainment: 0.1 }], total: 1 });
    expect(figures.yesterday).toEqual({ count: 0, revenue: 0, wins: [] });
  });
});
