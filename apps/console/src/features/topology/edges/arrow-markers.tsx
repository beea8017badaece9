import { LAG_BUCKETS, LAG_FILL } from "@/features/map/encodings";

/** Arrow heads per lag bucket, referenced by the edges as `url(#meridian-arrow-<bucket>)`. */
export function ArrowMarkers() {
  return (
    <svg aria-hidden="true" className="pointer-events-none absolute size-0 overflow-hidden">
      <defs>
        {LAG_BUCKETS.map(({ bucket }) => (
          <marker key={bucket} id={`meridian-arrow-${bucket}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10Z" className={LAG_FILL[bucket]} />
          </marker>
        ))}
      </defs>
    </svg>
  );
}
