import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatLag,
  formatPercent,
  formatRelativeTime,
  formatUtc,
} from "./format";

describe("formatLag", () => {
  it("shows seconds with one decimal under a minute", () => {
    expect(formatLag(0)).toBe("0.0 s");
    expect(formatLag(1.234)).toBe("1.2 s");
    expect(formatLag(59.9)).toBe("59.9 s");
  });

  it("switches to minutes and seconds from one minute", () => {
    expect(formatLag(59.96)).toBe("1 m 0 s");
    expect(formatLag(60)).toBe("1 m 0 s");
    expect(formatLag(190)).toBe("3 m 10 s");
    expect(formatLag(3599.4)).toBe("59 m 59 s");
  });

  it("uses hours and days for long lags", () => {
    expect(formatLag(3600)).toBe("1 h 0 m");
    expect(formatLag(7154.469)).toBe("1 h 59 m");
    expect(formatLag(90_000)).toBe("1 d 1 h");
  });

  it("shows a dash when there is no lag to show", () => {
    expect(formatLag(null)).toBe("—");
    expect(formatLag(undefined)).toBe("—");
    expect(formatLag(Number.NaN)).toBe("—");
  });

  it("never shows a negative lag", () => {
    expect(formatLag(-3)).toBe("0.0 s");
  });
});

describe("formatDuration", () => {
  it("drops zero parts", () => {
    expect(formatDuration(30)).toBe("30 s");
    expect(formatDuration(300)).toBe("5 m");
    expect(formatDuration(90)).toBe("1 m 30 s");
    expect(formatDuration(14_400)).toBe("4 h");
    expect(formatDuration(86_400)).toBe("1 d");
    expect(formatDuration(1.4)).toBe("1.4 s");
  });
});

describe("formatBytes", () => {
  it("humanises in binary units with one decimal", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1024)).toBe("1.0 KiB");
    expect(formatBytes(14.2 * 1024 * 1024)).toBe("14.2 MiB");
    expect(formatBytes(4_249_878_528)).toBe("4.0 GiB");
  });

  it("accepts BigInt and rolls over to the next unit instead of showing 1024.0", () => {
    expect(formatBytes(10n * 1024n ** 4n)).toBe("10.0 TiB");
    expect(formatBytes(1024 * 1024 - 1)).toBe("1.0 MiB");
  });

  it("shows a dash for missing values", () => {
    expect(formatBytes(null)).toBe("—");
  });
});

describe("formatCount and formatPercent", () => {
  it("groups thousands", () => {
    expect(formatCount(12480)).toBe("12,480");
    expect(formatCount(null)).toBe("—");
  });

  it("rounds ratios to whole percents", () => {
    expect(formatPercent(0.625)).toBe("63%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.001)).toBe("<1%");
    expect(formatPercent(1.2)).toBe("120%");
    expect(formatPercent(null)).toBe("—");
  });
});

describe("time", () => {
  const now = new Date("2026-11-29T12:00:00Z");

  it("prints absolute times in UTC", () => {
    expect(formatUtc("2026-11-29T01:22:36.910Z")).toBe("2026-11-29 01:22:36 UTC");
  });

  it("prints relative times", () => {
    expect(formatRelativeTime(new Date("2026-11-29T11:59:58Z"), now)).toBe("just now");
    expect(formatRelativeTime(new Date("2026-11-29T11:59:18Z"), now)).toBe("42 s ago");
    expect(formatRelativeTime(new Date("2026-11-29T11:57:00Z"), now)).toBe("3 min ago");
    expect(formatRelativeTime(new Date("2026-11-29T07:00:00Z"), now)).toBe("5 h ago");
    expect(formatRelativeTime(new Date("2026-11-27T12:00:00Z"), now)).toBe("2 d ago");
    expect(formatRelativeTime(new Date("2026-11-29T12:03:00Z"), now)).toBe("in 3 min");
    expect(formatRelativeTime(new Date("2026-01-01T00:00:00Z"), now)).toBe("2026-01-01");
  });
});
