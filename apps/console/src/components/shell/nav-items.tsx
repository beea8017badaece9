import { type ReactNode } from "react";

export interface TNavItem {
  href: string;
  label: string;
  icon: ReactNode;
  /** Shown as a small "soon" marker until the view is built. */
  built: boolean;
}

const icon = (d: ReactNode) => (
  <svg viewBox="0 0 20 20" className="size-4 shrink-0" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    {d}
  </svg>
);

export const NAV_ITEMS: TNavItem[] = [
  {
    href: "/map",
    label: "Map",
    built: true,
    icon: icon(
      <>
        <circle cx="10" cy="10" r="7.25" />
        <path d="M2.75 10h14.5M10 2.75c2 2.2 3 4.6 3 7.25s-1 5.05-3 7.25c-2-2.2-3-4.6-3-7.25s1-5.05 3-7.25Z" />
      </>,
    ),
  },
  {
    href: "/topology",
    label: "Topology",
    built: true,
    icon: icon(
      <>
        <circle cx="5" cy="5" r="2" />
        <circle cx="15" cy="5" r="2" />
        <circle cx="10" cy="15" r="2" />
        <path d="M7 5h6M6 6.8l3 6.4M14 6.8l-3 6.4" />
      </>,
    ),
  },
  {
    href: "/inventory",
    label: "Inventory",
    built: true,
    icon: icon(
      <>
        <ellipse cx="10" cy="4.75" rx="6" ry="2.25" />
        <path d="M4 4.75v5.25c0 1.25 2.7 2.25 6 2.25s6-1 6-2.25V4.75M4 10v5.25c0 1.25 2.7 2.25 6 2.25s6-1 6-2.25V10" />
      </>,
    ),
  },
  {
    href: "/changes",
    label: "Changes",
    built: true,
    icon: icon(
      <>
        <path d="M4 6h10l-3-3M16 14H6l3 3" />
      </>,
    ),
  },
  {
    href: "/approvals",
    label: "Approvals",
    built: true,
    icon: icon(
      <>
        <rect x="3" y="3" width="14" height="14" rx="2.5" />
        <path d="m6.75 10.25 2.25 2.25 4.5-5" />
      </>,
    ),
  },
  {
    href: "/dashboards",
    label: "Dashboards",
    built: false,
    icon: icon(
      <>
        <path d="M3 16.5h14M5.5 13.5V9M10 13.5V4.5M14.5 13.5v-6" />
      </>,
    ),
  },
  {
    href: "/audit",
    label: "Audit",
    built: true,
    icon: icon(
      <>
        <path d="M5.5 2.75h6l3.5 3.5v11H5.5z" />
        <path d="M11.5 2.75v3.5H15M8 10h4.5M8 13h4.5" />
      </>,
    ),
  },
  {
    href: "/settings/tokens",
    label: "API tokens",
    built: true,
    icon: icon(
      <>
        <circle cx="7" cy="10" r="3.25" />
        <path d="M10.25 10h7M15 10v2.5M17.25 10v2" />
      </>,
    ),
  },
];
