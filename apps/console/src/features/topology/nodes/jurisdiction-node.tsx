import { useStore, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { labelScale, zoomStepSelector } from "./zoom";

export type TJurisdictionData = { code: string; dataCenters: number };
export type TJurisdictionNode = Node<TJurisdictionData, "jurisdiction">;

/** The background box of a jurisdiction in the fleet view: data stays inside it unless a link crosses out. */
function JurisdictionNodeImpl({ data, width }: NodeProps<TJurisdictionNode>) {
  const zoom = useStore(zoomStepSelector);
  const scale = labelScale(zoom, Math.max(1, (width ?? 400) / 120));
  return (
    <div className="pointer-events-none h-full w-full rounded-3xl border-2 border-dashed border-zinc-300/80 bg-zinc-100/40 dark:border-zinc-700/80 dark:bg-zinc-800/20" data-testid="topology-jurisdiction" data-code={data.code}>
      <div className="absolute left-3 top-2 origin-top-left font-mono text-sm font-bold tracking-wide text-zinc-500 dark:text-zinc-400" style={{ transform: `scale(${scale})` }}>
        {data.code}
        <span className="ml-2 font-sans text-xs font-normal">jurisdiction</span>
      </div>
    </div>
  );
}

export const JurisdictionNode = memo(JurisdictionNodeImpl);
