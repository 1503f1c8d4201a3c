/** The system a deal was imported from, as its makers write it. */
export function sourceSystemName(source: string | null): string {
  const names: Record<string, string> = {
    hubspot: "HubSpot",
    pipedrive: "Pipedrive",
    salesforce: "Salesforce",
    closer: "Closer",
  };
  return names[source ?? ""] ?? source ?? "?";
}
