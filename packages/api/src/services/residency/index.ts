export {
  previewClusterResidency,
  updateClusterResidency,
  type TClusterResidencyPreview,
  type TClusterResidencyUpdate,
  type TResidencyPlacement,
} from "./cluster-residency";
