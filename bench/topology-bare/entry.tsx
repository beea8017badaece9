/**
 * The render benchmark's baseline: a bare React Flow page (default node and edge types, no
 * Meridian code) showing the same nodes and edges as Meridian's fleet view, read from
 * /graph.json. `?visibleOnly=1` turns on React Flow's onlyRenderVisibleElements.
 */
import { ReactFlow, type Edge, type Node } from "@xyflow/react";
import { createRoot } from "react-dom/client";

const visibleOnly = new URLSearchParams(window.location.search).get("visibleOnly") === "1";

void fetch("/graph.json")
  .then((r) => r.json() as Promise<{ nodes: Node[]; edges: Edge[] }>)
  .then(({ nodes, edges }) => {
    createRoot(document.getElementById("root")!).render(
      <div style={{ width: "100vw", height: "100vh" }}>
        <ReactFlow nodes={nodes} edges={edges} fitView minZoom={0.02} maxZoom={2} onlyRenderVisibleElements={visibleOnly} nodesDraggable={false} nodesConnectable={false} />
      </div>,
    );
  });
