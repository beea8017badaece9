import { geoNaturalEarth1, geoPath, type GeoProjection } from "d3-geo";
import { feature, mesh } from "topojson-client";
// Bundled at build time: the map never fetches anything at run time (offline-stack.md).
import countriesTopology from "world-atlas/countries-110m.json";

/**
 * The world outline for the map: Natural Earth 1:110m countries from world-atlas, converted
 * from TopoJSON once, Antarctica left out (no data center there, and it eats a fifth of the
 * height). Two SVG paths (land and borders) are all the map draws for geography.
 */
type TTopology = Parameters<typeof mesh>[0];
type TGeometryObject = NonNullable<Parameters<typeof mesh>[1]>;

const topology = countriesTopology as unknown as TTopology;
const countriesObject = (topology.objects as Record<string, TGeometryObject>).countries as TGeometryObject;
const ANTARCTICA = "010";

const countries = feature(topology, countriesObject);
const land: GeoJSON.FeatureCollection = {
  type: "FeatureCollection",
  features: ("features" in countries ? countries.features : [countries]).filter((f) => String(f.id) !== ANTARCTICA),
};
const borders = mesh(topology, countriesObject, (a, b) => a !== b);

export interface TWorldGeometry {
  projection: GeoProjection;
  landPath: string;
  bordersPath: string;
  spherePath: string;
  /** Projected bounds of the land at zoom 1: [[x0, y0], [x1, y1]]. */
  bounds: [[number, number], [number, number]];
}

const cache = new Map<string, TWorldGeometry>();

/** Projection and paths fitted to a viewport of `width` x `height` pixels (memoised per size). */
export function worldGeometry(width: number, height: number): TWorldGeometry {
  const key = `${Math.round(width)}x${Math.round(height)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const pad = Math.max(8, Math.min(width, height) * 0.03);
  const projection = geoNaturalEarth1().fitExtent(
    [
      [pad, pad],
      [Math.max(pad + 1, width - pad), Math.max(pad + 1, height - pad)],
    ],
    land,
  );
  const path = geoPath(projection);
  const geometry: TWorldGeometry = {
    projection,
    landPath: path(land) ?? "",
    bordersPath: path(borders) ?? "",
    spherePath: path({ type: "Sphere" }) ?? "",
    bounds: path.bounds(land) as [[number, number], [number, number]],
  };
  if (cache.size > 8) cache.clear();
  cache.set(key, geometry);
  return geometry;
}
