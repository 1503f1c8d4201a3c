/** A reference to a platform user as typed in a command: `@alice`, `<@U123|alice>`, `<@123456>`. */
export interface MemberRef {
  platformUserId: string;
  displayName?: string | undefined;
}

export type Token =
  | { kind: "word"; text: string }
  /** `ref`: the member the value names when it is a mention, read before typed text is restored. */
  | { kind: "option"; key: string; value: string; ref?: MemberRef }
  | { kind: "mention"; ref: MemberRef; text: string }
  | { kind: "deal"; number: number; text: string };

const SLACK_MENTION = /^<@!?([A-Z0-9]+)(?:\|([^>]*))?>$/i;

/**
 * A `<` the user typed, as a platform hands it over when it escapes typed text (Slack's `&lt;`),
 * so that `<@U123>` typed as text cannot pass for a mention, which only the platform writes. The
 * tokenizer reads it back as `<` in every word and value. A Unicode noncharacter: reserved for a
 * program's own use, it means nothing in typed text.
 */
export const TYPED_LESS_THAN = "\uFDD0";

/** The member a mention names: Slack's and Discord's `<@U123|bob>`, `<@123>`, or `@name` (the shell). */
export function mentionRef(raw: string): MemberRef | undefined {
  const platform = SLACK_MENTION.exec(raw);
  if (platform?.[1]) return { platformUserId: platform[1], displayName: platform[2] || undefined };
  if (/^@[\p{L}\p{N}._-]{1,80}$/u.test(raw)) {
    return { platformUserId: raw.slice(1).toLowerCase(), displayName: raw.slice(1) };
  }
  return undefined;
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

/** A `fromText` that reads every word in place, as typed, as one option (`/customer Acme Corp`). */
export function wordsAs<const K extends string>(key: K): (tokens: Token[]) => Record<K, string | undefined> {
  return (tokens) =>
    ({ [key]: tokens.map(tokenText).join(" ") || undefined }) as Record<K, string | undefined>;
}

/**
 * The text form of a command that takes two values, each one word or quoted (`"North East"`): the
 * first two tokens, under their options' names; any more is refused.
 */
export function twoValues(first: string, second: string) {
  return (tokens: Token[]): Record<string, unknown> => {
    const [a, b, ...extra] = tokens;
    return {
      [first]: a ? tokenText(a) : undefined,
      [second]: b ? tokenText(b) : undefined,
      extra: leftover(extra),
    };
  };
}
