export { registerInstance, registrationOptions, rotateInstanceCredential, type TRegisteredInstance } from "./register-instance";
