/** A reference to a platform user as typed in a command: `@alice`, `<@U123|alice>`, `<@123456>`. */
export interface MemberRef {
  platformUserId: string;
  displayName?: string | undefined;
}

export type Token =
  | { kind: "word"; text: string }
  | { kind: "option"; key: string; value: string }
  | { kind: "mention"; ref: MemberRef; text: string }
  | { kind: "deal"; number: number; text: string };

const QUOTES: Record<string, string> = { '"': '"', "“": "”", "«": "»", "'": "'" };

/** Option keys the grammar knows; `word:x` with another key stays a plain word (e.g. a URL). */
export const OPTION_KEYS = [
  "stage",
  "source",
  "close",
  "closed",
  "title",
  "for",
  "note",
  "reason",
  "metric",
  "team",
  "amount",
  "customer",
  "probability",
] as const;

const MENTION = /^<@!?([A-Z0-9]+)(?:\|([^>]*))?>$/i;

/**
 * Splits a command's text into tokens: words, `key:value` options (values may be quoted with
 * "…", “…”, «…» or '…'), member mentions and `#n` deal numbers.
 */
export function tokenize(text: string): Token[] {
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
    tokens.push(classify(raw, quoted));
  }
  return tokens;
}

function classify(raw: string, quoted: boolean): Token {
  const option = /^([a-z]+):(.*)$/s.exec(raw);
  if (option?.[1] && (OPTION_KEYS as readonly string[]).includes(option[1])) {
    return { kind: "option", key: option[1], value: option[2] ?? "" };
  }
  if (!quoted) {
    const slack = MENTION.exec(raw);
    if (slack?.[1])
      return {
        kind: "mention",
        ref: { platformUserId: slack[1], displayName: slack[2] || undefined },
        text: raw,
      };
    if (/^@[\p{L}\p{N}._-]{1,80}$/u.test(raw)) {
      return {
        kind: "mention",
        ref: { platformUserId: raw.slice(1).toLowerCase(), displayName: raw.slice(1) },
        text: raw,
      };
    }
    const deal = /^#(\d{1,9})$/.exec(raw);
    if (deal?.[1]) return { kind: "deal", number: Number(deal[1]), text: raw };
  }
  return { kind: "word", text: raw };
}

/** The text of a token as the user typed it (options as key:value). */
export function tokenText(token: Token): string {
  switch (token.kind) {
    case "word":
      return token.text;
    case "option":
      return `${token.key}:${token.value}`;
    default:
      return token.text;
  }
}

/** The tokens as text, or undefined when there are none: what a command did not expect. */
export function leftover(tokens: Token[]): string | undefined {
  return tokens.length ? tokens.map(tokenText).join(" ") : undefined;
}

/** Tokens split into positional tokens and options (the last of a repeated key wins). */
export function splitOptions(tokens: Token[]): { positional: Token[]; options: Record<string, string> } {
  const options: Record<string, string> = {};
  const positional: Token[] = [];
  for (const t of tokens) {
    if (t.kind === "option") options[t.key] = t.value;
    else positional.push(t);
  }
  return { positional, options };
}
