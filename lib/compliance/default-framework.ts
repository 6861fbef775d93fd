// The framework the Compliance page opens on. Kept apart from the catalogue (./frameworks) so that
// client code can read it without loading every framework and its validation schema into the page.
export const DEFAULT_FRAMEWORK_ID = "pci-dss";

/** A framework as the page's picker offers it. */
export interface FrameworkChoice {
  id: string;
  /** Name and version: "PCI DSS v4.0.1". */
  label: string;
}
