import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { chartFontFiles } from "../charts/font.js";

/** A file the pages load, under a stable name (`tv.js`) that its content-hashed address replaces. */
export interface AssetSource {
  name: string;
  type: string;
  read(): Buffer;
}

export interface Asset {
  /** `/assets/tv.3f9a1c2b7d.js`: changes whenever the content does. */
  url: string;
  type: string;
  body: Buffer;
}

export interface Assets {
  /** The address of an asset by its stable name; throws for a name that is not served. */
  url(name: string): string;
  /** The asset at `/assets/<file>`, or undefined. */
  find(file: string): Asset | undefined;
}

const here = (file: string) => fileURLToPath(new URL(`./assets/${file}`, import.meta.url));
const [regularFont = "", boldFont = ""] = chartFontFiles();

/** The font faces, named as the style sheet refers to them before their addresses are known. */
const FONTS: AssetSource[] = [
  { name: "dejavu-sans.ttf", type: "font/ttf", read: () => readFileSync(regularFont) },
  { name: "dejavu-sans-bold.ttf", type: "font/ttf", read: () => readFileSync(boldFont) },
];

/**
 * What Closer serves under `/assets/`: the style sheet, the TV screen's script, its icon and the
 * DejaVu Sans faces charts are drawn in, all from this install (self-hosted installs often have no
 * internet, and a CDN would see who opens the pages). A page's style sheet or script is added here.
 */
export const ASSET_SOURCES: AssetSource[] = [
  ...FONTS,
  { name: "icon.svg", type: "image/svg+xml", read: () => readFileSync(here("icon.svg")) },
  { name: "tv.js", type: "text/javascript; charset=utf-8", read: () => readFileSync(here("tv.js")) },
  { name: "closer.css", type: "text/css; charset=utf-8", read: () => readFileSync(here("closer.css")) },
  {
    name: "dashboard.css",
    type: "text/css; charset=utf-8",
    read: () => readFileSync(fileURLToPath(new URL("./dashboard/dashboard.css", import.meta.url))),
  },
];

function hashed(name: string, body: Buffer): string {
  const digest = createHash("sha256").update(body).digest("hex").slice(0, 12);
  const dot = name.lastIndexOf(".");
  return `/assets/${name.slice(0, dot)}.${digest}${name.slice(dot)}`;
}

/**
 * Reads and names the assets once, at start. A style sheet's `url(name)` of another asset
 * (`url("dejavu-sans.ttf")`) becomes that asset's address, so the sheet's own hash follows its fonts'.
 */
export function loadAssets(sources: readonly AssetSource[] = ASSET_SOURCES): Assets {
  const byName = new Map<string, Asset>();
  const ordered = [...sources].sort(
    (a, b) => Number(a.type.startsWith("text/css")) - Number(b.type.startsWith("text/css")),
  );
  for (const source of ordered) {
    let body = source.read();
    if (source.type.startsWith("text/css")) {
      const text = body.toString("utf8").replace(/url\("([^"/]+)"\)/g, (whole, file: string) => {
        const asset = byName.get(file);
        return asset ? `url("${asset.url}")` : whole;
      });
      body = Buffer.from(text, "utf8");
    }
    byName.set(source.name, { url: hashed(source.name, body), type: source.type, body });
  }
  const byFile = new Map([...byName.values()].map((a) => [basename(a.url), a]));
  return {
    url(name) {
      const asset = byName.get(name);
      if (!asset) throw new Error(`no asset named ${name}`);
      return asset.url;
    },
    find: (file) => byFile.get(file),
  };
}
