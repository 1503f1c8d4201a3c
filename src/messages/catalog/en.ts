export const en = {
  "error.generic": "Something went wrong; nothing was saved.",
} as const;
