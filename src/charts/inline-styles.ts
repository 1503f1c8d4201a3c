/**
 * The SVG as a page whose Content-Security-Policy allows no inline style can show it whole, and
 * without a console error: each `style="…"` attribute ECharts writes on its text becomes the
 * presentation attributes SVG reads the same properties from (`style="font-size:12px;"` ->
 * `font-size="12px"`), and its `<style>` element, which only holds hover effects for a live
 * chart, is left out. Values are the renderer's own (fonts, sizes), escaped for an attribute
 * all the same.
 */
export function withoutInlineStyles(svg: string): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, "")
    .replace(/ style="([^"]*)"/g, (_all, css: string) =>
      css
        .split(";")
        .map((declaration) => {
          const colon = declaration.indexOf(":");
          const name = declaration.slice(0, colon).trim().toLowerCase();
          const value = declaration.slice(colon + 1).trim();
          return colon > 0 && /^[a-z-]+$/.test(name) && value !== "" ? ` ${name}="${attribute(value)}"` : "";
        })
        .join(""),
    );
}

const attribute = (value: string) =>
  value.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
