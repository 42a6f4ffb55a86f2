import { encodeBytes32String } from "ethers";

/**
 * Classification levels of data elements the Data module names at deployment (DataElement.setClassification):
 * the four grades of the data-security rules, core data not rentable. Governance (DATA_ADMIN) may add or change
 * levels later.
 */
export const Classifications = [
  { level: 1, name: "PUBLIC", rentable: true },
  { level: 2, name: "INTERNAL", rentable: true },
  { level: 3, name: "SENSITIVE", rentable: true },
  { level: 4, name: "CORE", rentable: false },
] as const;

export type ClassificationName = (typeof Classifications)[number]["name"];

/** The level of a classification name of the list above. */
export function classificationLevel(name: ClassificationName): number {
  return Classifications.find((c) => c.name === name)!.level;
}

/** The bytes32 name DataElement stores for a level. */
export function classificationName(name: string): string {
  return encodeBytes32String(name);
}
