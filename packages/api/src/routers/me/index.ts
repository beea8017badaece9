import { createTRPCRouter } from "../../trpc";
import { getMe } from "./get-me";

export const meRouter = createTRPCRouter({ get: getMe });
