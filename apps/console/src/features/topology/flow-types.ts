import { type EdgeTypes, type NodeTypes } from "@xyflow/react";
import { FleetLinkEdge } from "./edges/fleet-link-edge";
import { ReplicationEdge } from "./edges/replication-edge";
import { DataCenterGroupNode } from "./nodes/data-center-group-node";
import { FleetDataCenterNode } from "./nodes/fleet-data-center-node";
import { InstanceNode } from "./nodes/instance-node";
import { JurisdictionNode } from "./nodes/jurisdiction-node";

// Module constants: React Flow re-creates every node when these objects change identity.
export const CLUSTER_NODE_TYPES = { instance: InstanceNode, dataCenter: DataCenterGroupNode } satisfies NodeTypes;
export const CLUSTER_EDGE_TYPES = { replication: ReplicationEdge } satisfies EdgeTypes;
export const FLEET_NODE_TYPES = { fleetDataCenter: FleetDataCenterNode, jurisdiction: JurisdictionNode } satisfies NodeTypes;
export const FLEET_EDGE_TYPES = { fleetLink: FleetLinkEdge } satisfies EdgeTypes;
