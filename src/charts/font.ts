import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The font charts and pages are drawn in: DejaVu Sans (a free licence, the Bitstream Vera one),
 * from the pinned `dejavu-fonts-ttf` package, so text renders on a machine with no font installed
 * and a PNG looks the same on every install.
 */
export const CHART_FONT_FAMILY = "DejaVu Sans";

const fontDir = () =>
  join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");

/** Paths of the regular and bold faces. */
export function chartFontFiles(): string[] {
  const dir = fontDir();
  return [join(dir, "DejaVuSans.ttf"), join(dir, "DejaVuSans-Bold.ttf")];
}
