import { DataCenterStatus } from "../generated/prisma/client";

/**
 * The demo's places: legal zones for data, cloud-style regions and data centers at real city
 * coordinates. Static on purpose: the map should look the same in every demo.
 */

export type TJurisdictionSeed = {
  code: string;
  name: string;
  /**
   * Jurisdictions to which personal data of this one may be replicated when a cluster's
   * residency policy opts in (adequacy decisions and similar arrangements).
   */
  adequatePartners: readonly string[];
};

export const DEMO_JURISDICTIONS: readonly TJurisdictionSeed[] = [
  { code: "US", name: "United States", adequatePartners: ["CA"] },
  { code: "CA", name: "Canada", adequatePartners: ["US", "EU"] },
  { code: "BR", name: "Brazil", adequatePartners: [] },
  { code: "EU", name: "European Union", adequatePartners: ["UK", "CH", "JP"] },
  { code: "UK", name: "United Kingdom", adequatePartners: ["EU"] },
  { code: "CH", name: "Switzerland", adequatePartners: ["EU"] },
  { code: "IN", name: "India", adequatePartners: [] },
  { code: "SG", name: "Singapore", adequatePartners: ["AU"] },
  { code: "JP", name: "Japan", adequatePartners: ["EU"] },
  { code: "AU", name: "Australia", adequatePartners: ["SG"] },
];

export type TRegionSeed = { code: string; name: string; jurisdictionCode: string };

export const DEMO_REGIONS: readonly TRegionSeed[] = [
  { code: "us-east", name: "US East", jurisdictionCode: "US" },
  { code: "us-central", name: "US Central", jurisdictionCode: "US" },
  { code: "us-west", name: "US West", jurisdictionCode: "US" },
  { code: "ca-central", name: "Canada Central", jurisdictionCode: "CA" },
  { code: "sa-east", name: "South America East", jurisdictionCode: "BR" },
  { code: "eu-central", name: "EU Central", jurisdictionCode: "EU" },
  { code: "eu-west", name: "EU West", jurisdictionCode: "EU" },
  { code: "eu-north", name: "EU North", jurisdictionCode: "EU" },
  { code: "eu-south", name: "EU South", jurisdictionCode: "EU" },
  { code: "uk-south", name: "UK South", jurisdictionCode: "UK" },
  { code: "uk-west", name: "UK West", jurisdictionCode: "UK" },
  { code: "ch-north", name: "Switzerland North", jurisdictionCode: "CH" },
  { code: "in-west", name: "India West", jurisdictionCode: "IN" },
  { code: "in-south", name: "India South", jurisdictionCode: "IN" },
  { code: "ap-southeast", name: "Asia Pacific Southeast", jurisdictionCode: "SG" },
  { code: "jp-east", name: "Japan East", jurisdictionCode: "JP" },
  { code: "jp-west", name: "Japan West", jurisdictionCode: "JP" },
  { code: "au-east", name: "Australia East", jurisdictionCode: "AU" },
  { code: "au-southeast", name: "Australia Southeast", jurisdictionCode: "AU" },
];

export type TDataCenterSeed = {
  code: string;
  name: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  latitude: number;
  longitude: number;
  regionCode: string;
  jurisdictionCode: string;
  provider: "aws" | "gcp" | "azure" | "equinix" | "on-prem";
  status: DataCenterStatus;
  /** Relative size: capacity slots are this share of the fleet times the headroom. */
  weight: number;
};

/** The few sites that are not simply ACTIVE: one being drained, one in maintenance. */
const NOT_ACTIVE: Readonly<Record<string, DataCenterStatus>> = {
  atl1: DataCenterStatus.DRAINING,
  mil1: DataCenterStatus.MAINTENANCE,
};

const dc = (
  code: string,
  name: string,
  city: string,
  country: string,
  latitude: number,
  longitude: number,
  regionCode: string,
  jurisdictionCode: string,
  provider: TDataCenterSeed["provider"],
  weight: number,
): TDataCenterSeed => ({
  code,
  name,
  city,
  country,
  latitude,
  longitude,
  regionCode,
  jurisdictionCode,
  provider,
  status: NOT_ACTIVE[code] ?? DataCenterStatus.ACTIVE,
  weight,
});

export const DEMO_DATA_CENTERS: readonly TDataCenterSeed[] = [
  // United States
  dc("ash1", "Ashburn 1", "Ashburn", "US", 39.0438, -77.4874, "us-east", "US", "aws", 1.6),
  dc("nyc1", "New York 1", "Secaucus", "US", 40.7895, -74.0565, "us-east", "US", "equinix", 1.0),
  dc("atl1", "Atlanta 1", "Atlanta", "US", 33.749, -84.388, "us-east", "US", "on-prem", 0.6),
  dc("chi1", "Chicago 1", "Chicago", "US", 41.8781, -87.6298, "us-central", "US", "equinix", 0.9),
  dc("dfw1", "Dallas 1", "Dallas", "US", 32.7767, -96.797, "us-central", "US", "azure", 1.0),
  dc("pdx1", "Oregon 1", "Boardman", "US", 45.8399, -119.7006, "us-west", "US", "aws", 1.3),
  dc("sjc1", "San Jose 1", "San Jose", "US", 37.3382, -121.8863, "us-west", "US", "gcp", 0.9),
  // Canada
  dc("yul1", "Montréal 1", "Montréal", "CA", 45.5017, -73.5673, "ca-central", "CA", "aws", 0.7),
  dc("yyz1", "Toronto 1", "Toronto", "CA", 43.6532, -79.3832, "ca-central", "CA", "gcp", 0.6),
  // Brazil
  dc("gru1", "São Paulo 1", "São Paulo", "BR", -23.5505, -46.6333, "sa-east", "BR", "aws", 0.8),
  dc("gig1", "Rio de Janeiro 1", "Rio de Janeiro", "BR", -22.9068, -43.1729, "sa-east", "BR", "equinix", 0.5),
  // European Union
  dc("fra1", "Frankfurt 1", "Frankfurt", "DE", 50.1109, 8.6821, "eu-central", "EU", "aws", 1.5),
  dc("fra2", "Frankfurt 2", "Frankfurt", "DE", 50.0979, 8.6357, "eu-central", "EU", "equinix", 0.8),
  dc("waw1", "Warsaw 1", "Warsaw", "PL", 52.2297, 21.0122, "eu-central", "EU", "gcp", 0.5),
  dc("dub1", "Dublin 1", "Dublin", "IE", 53.3498, -6.2603, "eu-west", "EU", "aws", 1.2),
  dc("ams1", "Amsterdam 1", "Amsterdam", "NL", 52.3676, 4.9041, "eu-west", "EU", "equinix", 1.0),
  dc("par1", "Paris 1", "Paris", "FR", 48.8566, 2.3522, "eu-west", "EU", "azure", 0.9),
  dc("sto1", "Stockholm 1", "Stockholm", "SE", 59.3293, 18.0686, "eu-north", "EU", "aws", 0.6),
  dc("mil1", "Milan 1", "Milan", "IT", 45.4642, 9.19, "eu-south", "EU", "azure", 0.5),
  dc("mad1", "Madrid 1", "Madrid", "ES", 40.4168, -3.7038, "eu-south", "EU", "gcp", 0.5),
  // United Kingdom
  dc("lon1", "London 1", "London", "GB", 51.5074, -0.1278, "uk-south", "UK", "equinix", 1.0),
  dc("lon2", "London 2", "Slough", "GB", 51.5105, -0.595, "uk-south", "UK", "aws", 0.8),
  dc("cwl1", "Cardiff 1", "Cardiff", "GB", 51.4816, -3.1791, "uk-west", "UK", "azure", 0.4),
  // Switzerland
  dc("zrh1", "Zürich 1", "Zürich", "CH", 47.3769, 8.5417, "ch-north", "CH", "gcp", 0.5),
  dc("gva1", "Geneva 1", "Geneva", "CH", 46.2044, 6.1432, "ch-north", "CH", "on-prem", 0.4),
  // India
  dc("bom1", "Mumbai 1", "Mumbai", "IN", 19.076, 72.8777, "in-west", "IN", "aws", 0.9),
  dc("maa1", "Chennai 1", "Chennai", "IN", 13.0827, 80.2707, "in-south", "IN", "azure", 0.6),
  dc("hyd1", "Hyderabad 1", "Hyderabad", "IN", 17.385, 78.4867, "in-south", "IN", "gcp", 0.5),
  // Singapore
  dc("sin1", "Singapore 1", "Singapore", "SG", 1.3521, 103.8198, "ap-southeast", "SG", "aws", 0.9),
  dc("sin2", "Singapore 2", "Singapore", "SG", 1.3329, 103.7436, "ap-southeast", "SG", "equinix", 0.6),
  // Japan
  dc("nrt1", "Tokyo 1", "Tokyo", "JP", 35.6762, 139.6503, "jp-east", "JP", "aws", 0.9),
  dc("kix1", "Osaka 1", "Osaka", "JP", 34.6937, 135.5023, "jp-west", "JP", "gcp", 0.6),
  // Australia
  dc("syd1", "Sydney 1", "Sydney", "AU", -33.8688, 151.2093, "au-east", "AU", "aws", 0.8),
  dc("mel1", "Melbourne 1", "Melbourne", "AU", -37.8136, 144.9631, "au-southeast", "AU", "azure", 0.5),
];

/** Total capacity is this multiple of the instance count, so the fleet has room to grow. */
export const CAPACITY_HEADROOM = 1.6;
/** Slots come in racks of this many; no data center has fewer than one rack. */
export const CAPACITY_BLOCK = 8;

/** Capacity slots of each data center for a fleet of `instances` instances. */
export function capacityFor(weight: number, totalWeight: number, instances: number): number {
  const slots = (instances * CAPACITY_HEADROOM * weight) / totalWeight;
  return Math.max(CAPACITY_BLOCK, Math.ceil(slots / CAPACITY_BLOCK) * CAPACITY_BLOCK);
}
