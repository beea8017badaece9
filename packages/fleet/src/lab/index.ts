export { startLab, type TLab, type TLabOptions } from "./lab";
export { LAB_CLUSTER, LAB_DATABASE, LAB_ROLE, labMembers, type TLabMember } from "./lab-plan";
export { registerLab, LabRegistrationError, type TRegisteredLab } from "./register-lab";
export { startLabServers, withAdmin, type TLabServer } from "./lab-servers";
export { startLoadGenerator, type TLoadGenerator } from "./load-generator";
export { parseCredentialKey, encryptCredential } from "../credentials";
