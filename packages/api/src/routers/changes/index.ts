import { createTRPCRouter } from "../../trpc";
import { cancelChangeRequest } from "./cancel-change-request";
import { changeFormOptions } from "./change-form-options";
import { commentChangeRequest } from "./comment-change-request";
import { createChangeRequest } from "./create-change-request";
import { getChangeRequest } from "./get-change-request";
import { listChangeRequests } from "./list-change-requests";
import { reviewChangeRequest } from "./review-change-request";
import { submitChangeRequest } from "./submit-change-request";
import { updateChangeRequest } from "./update-change-request";

/** Change requests: read by everyone, filed by engineers, DBAs and admins; approvals live in `approvals`. */
export const changesRouter = createTRPCRouter({
  list: listChangeRequests,
  get: getChangeRequest,
  formOptions: changeFormOptions,
  create: createChangeRequest,
  update: updateChangeRequest,
  submit: submitChangeRequest,
  cancel: cancelChangeRequest,
  comment: commentChangeRequest,
  review: reviewChangeRequest,
});
