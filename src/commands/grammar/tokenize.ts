import { OPTION_KEYS } from "../registry.js";
import { mentionRef, type Token, TYPED_LESS_THAN } from "./tokens.js";

const QUOTES: Record<string, string> = { '"': '"', "“": "”", "«": "»", "'": "'" };

/**
 * Splits a command's text into tokens: words, `key:value` options (values may be quoted with
 * "…", “…”, «…» or '…'), member mentions and `#n` deal numbers. A {@link TYPED_LESS_THAN} starts
 * no mention and is read as `<`. See {@link tokenizeLine}.
 */
export function tokenize(text: string, keys: ReadonlySet<string> = OPTION_KEYS): Token[] {
  return tokenizeLine(text, keys).tokens;
}

/**
 * Tokenizes a command's text, and names the first quote it opens and never closes (`title:"open`),
 * which a command must refuse rather than keep. A `word:value` token is an option whether or not any
 * command knows its key (a command refuses a key it does not declare), except a URL (`https://…`).
 */
export function tokenizeLine(
  text: string,
  keys: ReadonlySet<string> = OPTION_KEYS,
): { tokens: Token[]; unclosed: string | undefined } {
  let unclosed: string | undefined;
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (i >= text.length) break;
    let raw = "";
    let quoted = false;
    /** The whole token is in quotes (`"ratio:3/4"`): text, never an option. */
    let whole = false;
    while (i < text.length && !/\s/.test(text.charAt(i))) {
      const ch = text.charAt(i);
      const close = QUOTES[ch];
      if (close && (raw === "" || raw.endsWith(":"))) {
        const end = text.indexOf(close, i + 1);
        if (end > i) {
          whole ||= raw === "";
          raw += text.slice(i + 1, end);
          quoted = true;
          i = end + 1;
          continue;
        }
        // An apostrophe opening a word (`'s-Hertogenbosch`) is not a quote left open.
        if (ch !== "'") unclosed ??= `${raw}${text.slice(i).split(/\s/)[0]}`;
      }
      raw += ch;
      i++;
    }
    tokens.push(classify(raw, quoted, whole, keys));
  }
  return { tokens, unclosed };
}

/**
 * `key:value`: a key is lower-case letters (`stage:`, a mistyped `stge:`, a French `étape:`, with a
 * hyphen inside as in `e-mail:`). A key
 * no command declares still makes an option when it has a value and is not a URL's scheme, so that
 * the command refuses it instead of reading it as words.
 */
const OPTION = /^(\p{Ll}(?:[\p{Ll}_]|-(?=\p{Ll})){0,29}):(.*)$/su;

const TYPED_LESS_THANS = new RegExp(TYPED_LESS_THAN, "g");

/** Text as the user typed it: each typed `<` back in place, once no mention can be read in it. */
function literal(text: string): string {
  return text.replace(TYPED_LESS_THANS, "<");
}

function classify(raw: string, quoted: boolean, whole: boolean, keys: ReadonlySet<string>): Token {
  const option = whole ? null : OPTION.exec(raw);
  const key = option?.[1];
  const value = option?.[2] ?? "";
  if (key && (keys.has(key) || (value !== "" && !value.startsWith("//")))) {
    const ref = mentionRef(value);
    return { kind: "option", key, value: literal(value), ...(ref ? { ref } : {}) };
  }
  if (!quoted) {
    const ref = mentionRef(raw);
    if (ref) return { kind: "mention", ref, text: raw };
    const deal = /^#(\d{1,9})$/.exec(raw);
    if (deal?.[1]) return { kind: "deal", number: Number(deal[1]), text: raw };
  }
  return { kind: "word", text: literal(raw) };
}
