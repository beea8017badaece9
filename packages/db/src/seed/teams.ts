import type { DataClassification } from "../generated/prisma/client";

/**
 * The demo's business teams, the services they run and how sensitive their data tends to be.
 * Cluster names are `<team>-<service>-<home jurisdiction>-<nn>`, e.g. `payments-ledger-eu-07`.
 */

export type TTeamSeed = {
  slug: string;
  name: string;
  services: readonly string[];
  /** Relative share of the fleet's clusters this team owns. */
  weight: number;
  /** Relative likelihood of each classification for this team's clusters. */
  classifications: Readonly<Record<DataClassification, number>>;
};

const profile = (
  PUBLIC: number,
  INTERNAL: number,
  CONFIDENTIAL: number,
  PII: number,
  REGULATED: number,
): Readonly<Record<DataClassification, number>> => ({ PUBLIC, INTERNAL, CONFIDENTIAL, PII, REGULATED });

/** The team the demo engineer and team approver belong to; it owns many clusters. */
export const DEMO_TEAM_SLUG = "payments";

export const DEMO_TEAMS: readonly TTeamSeed[] = [
  {
    slug: "payments",
    name: "Payments",
    services: ["ledger", "gateway", "settlements", "refunds", "payouts", "card-vault"],
    weight: 2.2,
    classifications: profile(0, 1, 3, 3, 4),
  },
  {
    slug: "identity",
    name: "Identity",
    services: ["accounts", "sessions", "auth", "profiles", "mfa"],
    weight: 1.3,
    classifications: profile(0, 1, 2, 6, 1),
  },
  {
    slug: "search",
    name: "Search",
    services: ["index-meta", "query-log", "synonyms", "ranking"],
    weight: 0.9,
    classifications: profile(4, 4, 1, 1, 0),
  },
  {
    slug: "ledger",
    name: "General Ledger",
    services: ["journal", "balances", "reconciliation", "close"],
    weight: 1.0,
    classifications: profile(0, 1, 3, 1, 5),
  },
  {
    slug: "checkout",
    name: "Checkout",
    services: ["carts", "orders", "pricing", "promotions"],
    weight: 1.2,
    classifications: profile(1, 3, 3, 3, 0),
  },
  {
    slug: "catalog",
    name: "Catalog",
    services: ["products", "inventory", "media", "reviews"],
    weight: 1.1,
    classifications: profile(5, 4, 1, 0, 0),
  },
  {
    slug: "fulfillment",
    name: "Fulfillment",
    services: ["shipments", "warehouses", "returns", "routing"],
    weight: 1.0,
    classifications: profile(1, 4, 2, 2, 0),
  },
  {
    slug: "risk",
    name: "Risk & Fraud",
    services: ["signals", "cases", "rules", "scores"],
    weight: 0.8,
    classifications: profile(0, 1, 4, 3, 2),
  },
  {
    slug: "messaging",
    name: "Messaging",
    services: ["notifications", "inbox", "templates", "delivery"],
    weight: 0.9,
    classifications: profile(1, 3, 2, 3, 0),
  },
  {
    slug: "analytics",
    name: "Analytics",
    services: ["events", "staging", "metrics", "experiments"],
    weight: 1.0,
    classifications: profile(2, 5, 3, 1, 0),
  },
  {
    slug: "billing",
    name: "Billing",
    services: ["invoices", "subscriptions", "usage", "tax"],
    weight: 1.0,
    classifications: profile(0, 2, 3, 3, 2),
  },
  {
    slug: "people",
    name: "People Systems",
    services: ["employees", "payroll", "benefits"],
    weight: 0.5,
    classifications: profile(0, 1, 1, 4, 2),
  },
  {
    slug: "platform",
    name: "Platform",
    services: ["config", "feature-flags", "scheduler", "service-registry"],
    weight: 0.8,
    classifications: profile(2, 6, 2, 0, 0),
  },
  {
    slug: "support",
    name: "Customer Support",
    services: ["tickets", "chat", "knowledge-base"],
    weight: 0.7,
    classifications: profile(1, 2, 2, 4, 0),
  },
];
