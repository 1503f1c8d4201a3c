import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { openTestDatabase } from "../support/db.js";
import { shell } from "../support/shell.js";

const PNG = [0x89, 0x50, 0x4e, 0x47];

describe("shell: /kpi chart", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN wins and a goal THEN the answer is printed AND both charts are saved as PNG files whose paths follow it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "closer-shell-chart-"));
    const out = await shell(
      db,
      [
        "/deal log 12k Acme",
        "/deal won #1",
        "/deal log 5k Globex stage:proposal",
        "/goal set 40k company month",
        "/kpi chart",
      ],
      { directory: dir },
    );
    const answer = out.slice(out.indexOf("Won against goal and pipeline"));
    expect(answer).toContain("Won: €12,000 · deals: 1");
    expect(answer).toContain("proposal                1      €5,000");
    expect(readdirSync(dir).sort()).toEqual(["closer-chart-2.png", "closer-chart.png"]);
    for (const name of ["closer-chart.png", "closer-chart-2.png"]) {
      expect([...readFileSync(join(dir, name)).subarray(0, 4)]).toEqual(PNG);
      expect(answer).toContain(`  Chart saved: ${join(dir, name)}`);
    }
  });

  it("GIVEN a French workspace THEN /kpi graphique says where it saved them in French", async () => {
    const dir = mkdtempSync(join(tmpdir(), "closer-shell-chart-"));
    const out = await shell(db, ["/closer config set locale fr", "/kpi graphique mois"], { directory: dir });
    expect(out).toContain("Gagné face à l’objectif et portefeuille");
    expect(out).toContain(`  Graphique enregistré\u202f: ${join(dir, "closer-chart.png")}`);
    expect(out).toContain(`  Graphique enregistré\u202f: ${join(dir, "closer-chart-2.png")}`);
  });
});
