import { OPTION_KEYS } from "../registry.js";
import { mentionRef, type Token, TYPED_LESS_THAN } from "./tokens.js";

const QUOTES: Record<string, string> = { '"': '"', "“": "”", "«": "»", "'": "'" };

/**
 * Splits a command's text into tokens: words, `key:value` options (values may be quoted with
 * "…", “…”, «…» or '…'), member mentions and `#n` deal numbers. A {@link TYPED_LESS_THAN} starts
 * no mention and is read as `<`.
 */
export function tokenize(text: string, keys: ReadonlySet<string> = OPTION_KEYS): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (i >= text.length) break;
    let raw = "";
    let quoted = false;
    while (i < text.length && !/\s/.test(text.charAt(i))) {
      const ch = text.charAt(i);
      const close = QUOTES[ch];
      if (close && (raw === "" || raw.endsWith(":"))) {
        const end = text.indexOf(close, i + 1);
        if (end > i) {
          raw += text.slice(i + 1, end);
          quoted = true;
          i = end + 1;
          continue;
        }
      }
      raw += ch;
      i++;
    }
    tokens.push(classify(raw, quoted, keys));
  }
  return tokens;
}

const TYPED_LESS_THANS = new RegExp(TYPED_LESS_THAN, "g");

/** Text as the user typed it: each typed `<` back in place, once no mention can be read in it. */
function literal(text: string): string {
  return text.replace(TYPED_LESS_THANS, "<");
}

function classify(raw: string, quoted: boolean, keys: ReadonlySet<string>): Token {
  const option = /^([a-z]+):(.*)$/s.exec(raw);
  if (option?.[1] && keys.has(option[1])) {
    const value = option[2] ?? "";
    const ref = mentionRef(value);
    return { kind: "option", key: option[1], value: literal(value), ...(ref ? { ref } : {}) };
  }
  if (!quoted) {
    const ref = mentionRef(raw);
    if (ref) return { kind: "mention", ref, text: raw };
    const deal = /^#(\d{1,9})$/.exec(raw);
    if (deal?.[1]) return { kind: "deal", number: Number(deal[1]), text: raw };
  }
  return { kind: "word", text: literal(raw) };
}
