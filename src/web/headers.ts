/** What the pages' security headers depend on: the sources allowed to frame them (`FRAME_ANCESTORS`). */
export interface HeaderOptions {
  frameAncestors?: string | undefined;
}

/**
 * The Content-Security-Policy of every page and asset: everything from Closer itself, no inline
 * script or `eval`, no plugin, no `<base>`; styles only from its style sheet (bars are SVG
 * attributes, not inline styles); framed by nobody unless `FRAME_ANCESTORS` says who may.
 */
export function contentSecurityPolicy(options: HeaderOptions = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${options.frameAncestors ?? "'none'"}`,
  ].join("; ");
}

/**
 * The headers every page and asset carries: the CSP, no referrer (a page's address holds its token,
 * which a request for anything else must not carry away), no MIME sniffing, and no framing for
 * browsers that predate `frame-ancestors`.
 */
export function securityHeaders(options: HeaderOptions = {}): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    ...(options.frameAncestors ? {} : { "X-Frame-Options": "DENY" }),
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

/** A page behind a token: never stored by a browser or a proxy, so the figures and the token stay off disks. */
export const TOKEN_PAGE_CACHE = "no-store";

/** Assets have content-hashed names: a new version is a new address, so each may be kept a year. */
export const ASSET_CACHE = "public, max-age=31536000, immutable";
