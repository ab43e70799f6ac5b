/**
 * Bounds on what an NF package upload may make netweave read into memory. A package is untrusted input:
 * the upload size, the expanded size of its archive (zip bombs, gzip bombs inside charts) and the number
 * of entries are all capped, and each cap ends the on-boarding in ERROR rather than exhausting the process.
 */
export interface PackageLimits {
  /** Largest accepted upload, in bytes (default 64 MiB). */
  readonly maxContentBytes: number;
  /** Largest total of expanded bytes of one package: zip entries plus the chart archives inside (default 256 MiB). */
  readonly maxExpandedBytes: number;
  /** Most entries a zip (or a chart tar) may hold (default 10 000). */
  readonly maxEntries: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = {
  maxContentBytes: 64 * 1024 * 1024,
  maxExpandedBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
};

/** Counts expanded bytes against one budget shared by every archive layer of a package. */
export class ExpansionBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  /** False once the total would pass the limit; the caller refuses the package then. */
  take(bytes: number): boolean {
    this.used += bytes;
    return this.used <= this.limit;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }
}
