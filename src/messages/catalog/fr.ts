import type { Catalog } from "../i18n.js";

export const fr: Catalog = {
  "error.generic": "Une erreur est survenue ; rien n’a été enregistré.",
};
