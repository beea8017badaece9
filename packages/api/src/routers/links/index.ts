import { createTRPCRouter } from "../../trpc";
import { getLink } from "./get-link";
import { pauseLink, resumeLink, verifyLink } from "./operate-link";

/** Replication links: read by everyone; paused, resumed and verified by DBAs and administrators (audited). */
export const linksRouter = createTRPCRouter({
  get: getLink,
  pause: pauseLink,
  resume: resumeLink,
  verify: verifyLink,
});
