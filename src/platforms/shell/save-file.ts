import { writeFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import type { ReplyFile } from "../../messages/reply.js";
import type { ChartImage } from "../../notify/chart-images.js";

/**
 * Saves a reply's file in `directory` under its name, never over an existing file: the next free
 * of `name.csv`, `name-1.csv`, `name-2.csv`… (each tried with an exclusive create, so two sessions
 * never take the same). Only the file name's last part is used.
 *
 * @returns the absolute path written.
 */
export async function saveReplyFile(directory: string, file: ReplyFile): Promise<string> {
  const name = basename(file.name) || "closer-file";
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 0; ; n++) {
    const path = resolve(join(directory, n === 0 ? name : `${stem}-${n}${ext}`));
    try {
      await writeFile(path, file.content, { flag: "wx" });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Saves chart pictures as `closer-chart.png` (or the next free name) each; returns their paths. */
export async function saveCharts(directory: string, images: ChartImage[]): Promise<string[]> {
  const paths: string[] = [];
  for (const image of images)
    paths.push(
      await saveReplyFile(directory, { name: `closer-${image.name}`, type: "image/png", content: image.png }),
    );
  return paths;
}
