/**
 * Site and location configuration of a cluster (docs/architecture.md "The shape": "Location, O-Cloud site — configuration per
 * cluster"). Shared by the simulator's scenarios, the gateway configuration and the cluster subgraph.
 */
export interface GeoCoordinate {
  readonly latitude: number;
  readonly longitude: number;
  readonly altitude?: number;
}

/** RFC 4776 civic address element (caType per the RFC, caValue its text). */
export interface CivicAddressElement {
  readonly caType: number;
  readonly caValue: string;
}

export interface LocationConfig {
  /** The SMO's global location id (O2 `globalLocationId`). */
  readonly globalLocationId: string;
  readonly name: string;
  readonly description?: string;
  readonly coordinate?: GeoCoordinate;
  readonly civicAddress?: readonly CivicAddressElement[];
  readonly address?: string;
}

export interface SiteConfig {
  /** Site name, unique in the O-Cloud; the O2 oCloudSiteId is derived from it. */
  readonly name: string;
  readonly description?: string;
  readonly location: LocationConfig;
}
