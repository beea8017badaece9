"use client";

import { useEffect, useState } from "react";
import { layoutKey, type TClusterLayout, type TFleetLayout, type TLayoutRequest } from "./layouts";

type TResult = TClusterLayout | TFleetLayout;
type TPending = { resolve: (r: TResult) => void; reject: (e: Error) => void };

/**
 * Layouts are computed in a web worker and cached by the key of their structure (in memory and
 * in sessionStorage): the same cluster or fleet, whatever its health and lag, gets the same
 * positions at once, across refreshes, navigations and reloads. Without a worker (old browser,
 * blocked), dagre runs here.
 */
const cache = new Map<string, TResult>();
const inflight = new Map<string, Promise<TResult>>();
const pending = new Map<number, TPending>();
let nextId = 1;
let worker: Worker | null | undefined;

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module", name: "meridian-layout" });
    worker.onmessage = (event: MessageEvent<{ id: number; result?: TResult; error?: string }>) => {
      const p = pending.get(event.data.id);
      pending.delete(event.data.id);
      if (!p) return;
      if (event.data.result) p.resolve(event.data.result);
      else p.reject(new Error(event.data.error ?? "layout failed"));
    };
    worker.onerror = () => {
      // The worker cannot run here: fail what is waiting (it is retried on the main thread).
      worker?.terminate();
      worker = null;
      for (const p of pending.values()) p.reject(new Error("layout worker failed"));
      pending.clear();
    };
  } catch {
    worker = null;
  }
  return worker;
}

async function layoutOnMainThread(request: TLayoutRequest): Promise<TResult> {
  const { runLayout } = await import("./layouts");
  return runLayout(request);
}

const STORAGE_PREFIX = "meridian.layout.";

/** Layouts also persist in sessionStorage (same structure, same positions) for reloads and new views of it. */
function stored(key: string): TResult | undefined {
  try {
    const text = window.sessionStorage.getItem(STORAGE_PREFIX + key);
    return text ? (JSON.parse(text) as TResult) : undefined;
  } catch {
    return undefined;
  }
}

function store(key: string, result: TResult): void {
  try {
    // Keep one layout per kind: a fleet layout is ~100 KiB at 10,000 instances.
    for (let i = window.sessionStorage.length - 1; i >= 0; i--) {
      const k = window.sessionStorage.key(i);
      if (k?.startsWith(`${STORAGE_PREFIX}${key.split("-")[0]}-`)) window.sessionStorage.removeItem(k);
    }
    window.sessionStorage.setItem(STORAGE_PREFIX + key, JSON.stringify(result));
  } catch {
    // Full or unavailable: the in-memory cache still serves this page.
  }
}

export function computeLayout(request: TLayoutRequest, key = layoutKey(request)): Promise<TResult> {
  const hit = cache.get(key) ?? stored(key);
  if (hit) {
    cache.set(key, hit);
    return Promise.resolve(hit);
  }
  const running = inflight.get(key);
  if (running) return running;
  const w = getWorker();
  // Marks for the render benchmark and the browser's performance panel.
  performance.mark(`meridian:layout:start:${request.kind}`);
  const promise = (
    w
      ? new Promise<TResult>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          w.postMessage({ id, request });
        }).catch(() => layoutOnMainThread(request))
      : layoutOnMainThread(request)
  ).then((result) => {
    performance.mark(`meridian:layout:end:${request.kind}`);
    cache.set(key, result);
    store(key, result);
    if (cache.size > 50) cache.delete(cache.keys().next().value as string);
    return result;
  });
  inflight.set(key, promise);
  void promise.finally(() => inflight.delete(key));
  return promise;
}

/** The layout for a request (null while there is nothing to lay out), and whether it is current. */
export function useLayout<T extends TResult>(request: TLayoutRequest | null): { layout: T | undefined; key: string | undefined; stale: boolean } {
  const key = request ? layoutKey(request) : undefined;
  const [state, setState] = useState<{ key: string; layout: TResult } | undefined>(() =>
    key && cache.has(key) ? { key, layout: cache.get(key)! } : undefined,
  );
  useEffect(() => {
    if (!request || !key) return;
    let cancelled = false;
    void computeLayout(request, key).then((layout) => {
      if (!cancelled) setState((s) => (s?.key === key ? s : { key, layout }));
    });
    return () => {
      cancelled = true;
    };
    // The key stands for the request's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const cached = key ? cache.get(key) : undefined;
  if (cached && state?.key !== key) return { layout: cached as T, key, stale: false };
  return { layout: state?.layout as T | undefined, key: state?.key, stale: state?.key !== key };
}
