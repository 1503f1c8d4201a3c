/** The languages a workspace can speak: each has a message catalog. */
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
