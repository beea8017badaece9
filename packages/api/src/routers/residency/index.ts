import { createTRPCRouter } from "../../trpc";
import { previewClusterResidency } from "./preview-cluster-residency";
import { updateClusterResidency } from "./update-cluster-residency";

/** A cluster's residency policy: preview what a new list would put out of policy, then save it (admins). */
export const residencyRouter = createTRPCRouter({
  previewClusterResidency,
  updateClusterResidency,
});
