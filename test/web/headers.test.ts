import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "../../src/web/headers.js";

describe("the pages' security headers", () => {
  it("GIVEN no FRAME_ANCESTORS THEN no one may frame the pages, and nothing inline or eval'd runs", () => {
    const headers = securityHeaders();
    expect(headers).toEqual({
      "Content-Security-Policy":
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Cross-Origin-Opener-Policy": "same-origin",
    });
  });

  it("GIVEN FRAME_ANCESTORS THEN those sources may frame them, and X-Frame-Options does not contradict it", () => {
    const headers = securityHeaders({ frameAncestors: "https://intranet.example.com" });
    expect(headers["Content-Security-Policy"]).toContain("frame-ancestors https://intranet.example.com");
    expect(headers["X-Frame-Options"]).toBeUndefined();
    expect(contentSecurityPolicy({ frameAncestors: "'self'" })).toMatch(/frame-ancestors 'self'$/);
  });
});
