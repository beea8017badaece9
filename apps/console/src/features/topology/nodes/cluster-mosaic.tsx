"use client";

import { memo, useEffect, useRef } from "react";
import { HEALTH_HEX, type THealth } from "@/features/map/encodings";
import { CLUSTER_CELL, cellPosition } from "../layout/layouts";

const SCALE = 0.25;

/**
 * The clusters of a collapsed data center as a mosaic: one cell per cluster at the place its
 * node takes when zoomed in, coloured by health and marked like the health icons (half filled
 * = degraded, cross = down). One canvas per data center: cheap to pan and zoom.
 */
function ClusterMosaicImpl({
  healths,
  cols,
  width,
  height,
  hidden = false,
}: {
  healths: readonly THealth[];
  cols: number;
  width: number;
  height: number;
  hidden?: boolean;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const dark = window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const w = CLUSTER_CELL.width * SCALE;
    const h = CLUSTER_CELL.height * SCALE;
    healths.forEach((health, i) => {
      const p = cellPosition(i, cols);
      const x = p.x * SCALE;
      const y = p.y * SCALE;
      const color = HEALTH_HEX[health][dark ? "dark" : "light"];
      if (health === "UP" || health === "DOWN") {
        ctx.fillStyle = color;
        ctx.fillRect(x, y, w, h);
      } else {
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.5;
        ctx.strokeRect(x + 0.75, y + 0.75, w - 1.5, h - 1.5);
        if (health === "DEGRADED") {
          ctx.fillStyle = color;
          ctx.fillRect(x, y, w / 2, h);
        }
      }
      if (health === "DOWN") {
        ctx.strokeStyle = "#ffffff";
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(x + w / 2 - h / 3, y + h / 6);
        ctx.lineTo(x + w / 2 + h / 3, y + (5 * h) / 6);
        ctx.moveTo(x + w / 2 + h / 3, y + h / 6);
        ctx.lineTo(x + w / 2 - h / 3, y + (5 * h) / 6);
        ctx.stroke();
      }
    });
  }, [healths, cols]);
  return (
    <canvas
      ref={ref}
      width={Math.max(1, Math.round(width * SCALE))}
      height={Math.max(1, Math.round(height * SCALE))}
      aria-hidden="true"
      className="pointer-events-none absolute left-0 top-0"
      style={{ width, height, visibility: hidden ? "hidden" : undefined }}
    />
  );
}

export const ClusterMosaic = memo(ClusterMosaicImpl);
