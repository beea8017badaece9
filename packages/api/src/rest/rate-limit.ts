/**
 * Per-token rate limit: a token bucket per API token, in this process's memory (each console
 * or API process counts on its own). Default: 600 requests a minute, bursts of up to 120.
 */
export interface TRateLimitSettings {
  perMinute: number;
  burst: number;
}

export const DEFAULT_RATE_LIMIT: TRateLimitSettings = { perMinute: 600, burst: 120 };

export type TRateDecision = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(private readonly settings: TRateLimitSettings = DEFAULT_RATE_LIMIT) {
    this.perMs = settings.perMinute / 60_000;
  }

  get limit(): TRateLimitSettings {
    return this.settings;
  }

  take(key: string, nowMs: number): TRateDecision {
    const b = this.buckets.get(key) ?? { tokens: this.settings.burst, at: nowMs };
    b.tokens = Math.min(this.settings.burst, b.tokens + Math.max(0, nowMs - b.at) * this.perMs);
    b.at = nowMs;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, remaining: Math.floor(b.tokens) };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }
}
