import { describe, expect, it } from "vitest";
import { renderPng, renderSvg } from "../../src/charts/render.js";
import type { ChartSpec } from "../../src/charts/spec.js";

const SIZE = { width: 800, height: 450 };

const wonAgainstGoal: ChartSpec = {
  kind: "line",
  title: "Gagné en novembre 2026",
  locale: "fr",
  unit: { currency: "EUR" },
  labels: ["1", "2", "3", "4"],
  series: [
    { name: "Gagné", values: [4000, 9000, 15000, null] },
    { name: "Rythme", values: [5000, 10000, 15000, 20000], dashed: true },
  ],
  target: { label: "Objectif", value: 20000 },
};

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("charts", () => {
  it("GIVEN a spec THEN the SVG carries its title, labels, legend and the goal in the workspace's format", async () => {
    const svg = await renderSvg(wonAgainstGoal, SIZE);
    expect(svg.startsWith("<svg")).toBe(true);
    for (const text of ["Gagné en novembre 2026", "Rythme", "Objectif\u202f: 20\u202f000\u00a0€"])
      expect(svg).toContain(text);
  });

  it("GIVEN user text in a label THEN the SVG escapes it", async () => {
    const svg = await renderSvg(
      { ...wonAgainstGoal, labels: ["<script>alert(1)</script>", "b", "c", "d"] },
      SIZE,
    );
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
  });

  it("GIVEN a spec THEN the PNG is drawn at twice the size, with its text in the bundled font", async () => {
    const png = await renderPng(wonAgainstGoal, SIZE);
    expect(pngSize(png)).toEqual({ width: 1600, height: 900 });
    // The same chart with other words is another picture: the text is drawn, not dropped for want of a font.
    const renamed = await renderPng({ ...wonAgainstGoal, title: "Won in November 2026" }, SIZE);
    expect(renamed.equals(png)).toBe(false);
  });
});
