export { enqueueWebhook, type TWebhookMessage } from "./enqueue-webhook";
export {
  backoffMs,
  deliverDueWebhooks,
  kickWebhookDeliverer,
  signWebhookBody,
  startWebhookDeliverer,
  verifyWebhookSignature,
  webhookSettingsFromEnv,
  SIGNATURE_HEADER,
  type TDeliveryOptions,
  type TDeliveryReport,
  type TWebhookDeliverer,
} from "./deliver-webhooks";
