// The catalogue's framework ids in display order, apart from the catalogue (./frameworks) so that the
// CLI's flags can name and check them without loading every framework and its validation schema. The
// catalogue refuses to load when its frameworks are not these, in this order.
export const FRAMEWORK_IDS = ["cis-kubernetes", "cis-aks", "pci-dss", "soc2", "hipaa", "nist-800-53", "iso-27001"] as const;

export function isFrameworkId(value: string): boolean {
  return (FRAMEWORK_IDS as readonly string[]).includes(value);
}
