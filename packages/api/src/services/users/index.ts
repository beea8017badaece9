export { changeOwnPassword, setUserDisabled, setUserRoles, type TUserAccessView } from "./manage-users";
