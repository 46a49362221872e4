// The public API of `nestjs-wechatpay`: named exports only, one line per source file, grouped.
// test/unit/public-api.spec.ts pins these names, so adding or removing one is a deliberate act.
// Cryptography lives in `nestjs-wechatpay/crypto`, the simulator in `nestjs-wechatpay/testing`.

// Nest module and service
export { WechatPayModule } from './nest/wechatpay.module.js';
export { WECHATPAY_LOG_CONTEXT } from './nest/wechatpay.constants.js';
export type {
  WechatPayModuleAsyncOptions,
  WechatPayModuleExtras,
  WechatPayModuleOptions,
  WechatPayOptionsFactory,
} from './nest/wechatpay.module-definition.js';
export { WechatPayService } from './nest/wechatpay.service.js';
export { InjectWechatPay } from './nest/inject-wechatpay.decorator.js';
export { getWechatPayToken } from './nest/wechatpay.tokens.js';
export { wechatPayConfig, type WechatPayConfigFactory } from './nest/wechatpay.config.js';

// Client (plain Node)
export { WechatPayClient, type WechatPayClientOptions } from './core/wechatpay-client.js';
export type { SubMerchantOptions } from './core/merchant/merchant-identity.js';

// Products: payments (wechatPay.payments, wechatPay.v2.payments)
export type { Payments } from './core/products/payments/payments.v3.js';
export type { V2Payments } from './core/products/payments/payments.v2.js';
export type {
  AppPayParams,
  AppPrepayResult,
  H5PrepayOrder,
  H5PrepayResult,
  JsapiPayParams,
  JsapiPrepayOrder,
  JsapiPrepayResult,
  NativePrepayResult,
  PrepayOrder,
  TradeState,
  Transaction,
  TransactionAmount,
} from './core/products/payments/payments.types.js';
export type {
  AmountDto,
  H5InfoDto,
  H5PrepayDto,
  H5SceneInfoDto,
  JsapiPrepayDto,
  OutTradeNoDto,
  PayerDto,
  PrepayDto,
  SceneInfoDto,
  SettleInfoDto,
} from './core/products/payments/payments.dto.js';
export type {
  V2AppPayParams,
  V2AppPayParamsOptions,
  V2JsapiPayParams,
  V2Micropay,
  V2OrderRef,
  V2PayParamsOptions,
  V2UnifiedOrder,
  V2UnifiedOrderResult,
} from './core/products/payments/payments.v2.types.js';
export type {
  MicropayDto,
  UnifiedOrderDto,
  V2OrderRefDto,
} from './core/products/payments/payments.v2.dto.js';

// Products: refunds (wechatPay.refunds, wechatPay.v2.refunds)
export type { Refunds } from './core/products/refunds/refunds.v3.js';
export type {
  V2RefundQuery,
  V2RefundRequest,
  V2Refunds,
} from './core/products/refunds/refunds.v2.js';
export type {
  AbnormalRefundRequest,
  Refund,
  RefundAmount,
  RefundRequest,
  RefundStatus,
} from './core/products/refunds/refunds.types.js';
export type {
  AbnormalRefundDto,
  RefundAmountDto,
  RefundDto,
  RefundQueryDto,
} from './core/products/refunds/refunds.dto.js';
export type { V2RefundDto, V2RefundQueryDto } from './core/products/refunds/refunds.v2.dto.js';

// Products: combine payments (wechatPay.combine)
export type { Combine } from './core/products/combine/combine.v3.js';
export {
  isCombineNotification,
  type CombineCloseRequest,
  type CombineH5PrepayOrder,
  type CombineH5PrepayResult,
  type CombineJsapiPrepayOrder,
  type CombineNativePrepayResult,
  type CombinePrepayIdResult,
  type CombinePrepayOrder,
  type CombineSubOrder,
  type CombineSubOrderAmount,
  type CombineTransaction,
  type CombineTransactionNotification,
  type PaidCombineSubOrder,
} from './core/products/combine/combine.types.js';
export type {
  CombineAmountDto,
  CombineAppPrepayDto,
  CombineCloseDto,
  CombineCloseSubOrderDto,
  CombineH5PrepayDto,
  CombineH5SceneInfoDto,
  CombineJsapiPrepayDto,
  CombinePayerInfoDto,
  CombineSceneInfoDto,
  CombineSettleInfoDto,
  CombineSubOrderDto,
} from './core/products/combine/combine.dto.js';

// Products: bills (wechatPay.bills, wechatPay.v2.bills)
export type { BillDownloadOptions, Bills } from './core/products/bills/bills.v3.js';
export type { V2Bills } from './core/products/bills/bills.v2.js';
export type { BillInfo } from './core/products/bills/bills.types.js';
export type { FundFlowBillDto, TradeBillDto } from './core/products/bills/bills.dto.js';
export type { V2BillDto, V2FundFlowDto } from './core/products/bills/bills.v2.dto.js';
export { BillReader } from './core/products/bills/parsing/bill-reader.js';
export {
  readTradeBill,
  type TradeBillRow,
  type TradeBillSummary,
} from './core/products/bills/parsing/trade-bill.js';
export {
  readFundFlowBill,
  type FundFlowBillRow,
  type FundFlowBillSummary,
} from './core/products/bills/parsing/fund-flow-bill.js';

// Products: transfers (wechatPay.transfers), 商家转账
export type { TransferConfirmOptions, Transfers } from './core/products/transfers/transfers.v3.js';
export type {
  MerchantTransferConfirmParams,
  TransferBill,
  TransferBillCancelled,
  TransferBillCreated,
  TransferBillNotification,
  TransferBillState,
  TransferReceipt,
  TransferReceiptState,
} from './core/products/transfers/transfers.types.js';
export type {
  TransferBillDto,
  TransferSceneReportInfoDto,
} from './core/products/transfers/transfers.dto.js';
export { WechatPayTransferUnclearError } from './core/products/transfers/transfer-unclear.error.js';
export type { SubMerchantDto } from './core/products/common.dto.js';

// Reconciliation (wechatPay.reconciliation, T+1 对账)
export type { Reconciliation } from './core/reconciliation/reconciliation.js';
export { reconcileTradeBill } from './core/reconciliation/reconcile-bill.js';
export { formatReconciliationReport } from './core/reconciliation/report-text.js';
export type {
  AmountMismatch,
  PaidAtWechatPayNotHere,
  PaidHereNotAtWechatPay,
  ReconcileOptions,
  ReconciliationDifference,
  ReconciliationDifferenceKind,
  ReconciliationOrder,
  ReconciliationOrderState,
  ReconciliationRefund,
  ReconciliationReport,
  ReconciliationSource,
  ReconciliationTotals,
  RefundMismatch,
} from './core/reconciliation/reconciliation.types.js';
export type {
  DailyReconciliation,
  DailyReconciliationHandlers,
  DailyReconciliationHook,
  DailyReconciliationResult,
} from './core/reconciliation/daily-reconciliation.js';
export type { ReconciliationDayTask } from './core/reconciliation/daily-schedule.js';
export type {
  ReconciliationJob,
  ReconciliationScheduler,
} from './core/reconciliation/reconciliation-scheduler.js';
export {
  EmbeddedReconciliationScheduler,
  type EmbeddedReconciliationSchedulerOptions,
} from './core/reconciliation/embedded-reconciliation-scheduler.js';
export {
  BullmqReconciliationScheduler,
  type BullmqReconciliationSchedulerOptions,
  RECONCILIATION_JOB_SCHEDULER_ID,
} from './core/reconciliation/bullmq-reconciliation-scheduler.js';
export {
  WechatReconciliationReport,
  type WechatReconciliationOptions,
  WechatReconciliationSource,
} from './nest/reconciliation/wechat-reconciliation.decorators.js';

// Products: profit sharing (wechatPay.profitSharing, 分账)
export type { ProfitSharing } from './core/products/profit-sharing/profit-sharing.v3.js';
export type {
  ProfitSharingFailReason,
  ProfitSharingAddReceiverRequest,
  ProfitSharingDeleteReceiverRequest,
  ProfitSharingNotification,
  ProfitSharingOrder,
  ProfitSharingOrderRequest,
  ProfitSharingOrderState,
  ProfitSharingReceiver,
  ProfitSharingReceiverResult,
  ProfitSharingReceiverType,
  ProfitSharingReturn,
  ProfitSharingReturnRequest,
  ProfitSharingUnfreezeRequest,
  ProfitSharingUnsplitAmount,
} from './core/products/profit-sharing/profit-sharing.types.js';
export type {
  ProfitSharingAddReceiverDto,
  ProfitSharingBillDto,
  ProfitSharingDeleteReceiverDto,
  ProfitSharingOrderDto,
  ProfitSharingOrderQueryDto,
  ProfitSharingReceiverDto,
  ProfitSharingReturnDto,
  ProfitSharingReturnQueryDto,
  ProfitSharingUnfreezeDto,
} from './core/products/profit-sharing/profit-sharing.dto.js';
// Products: code payments at the till (wechatPay.codePayments, wechatPay.v2.codePayments)
export type { CodePayments } from './core/products/code-payments/code-payments.v3.js';
export type { V2CodePayments } from './core/products/code-payments/code-payments.v2.js';
export { TILL_SCHEDULE } from './core/products/code-payments/till-loop.js';
export type {
  CodepayOrder,
  CodepayReverseResult,
  CodepayTillOutcome,
  TillClock,
  TillOptions,
  TillOutcome,
  TillSchedule,
  V2MicropayTillOutcome,
} from './core/products/code-payments/code-payments.types.js';
export type {
  CodepayDto,
  CodepayPayerDto,
  CodepaySceneInfoDto,
  CodepayStoreInfoDto,
} from './core/products/code-payments/code-payments.dto.js';
// Products: media uploads (wechatPay.media) and complaints (wechatPay.complaints)
export type { Media } from './core/products/media/media.v3.js';
export { MEDIA_UPLOADS } from './core/products/media/media-rules.js';
export type {
  MediaFile,
  MediaUploadResult,
  MediaUploadRules,
} from './core/products/media/media.types.js';
export type { Complaints } from './core/products/complaints/complaints.v3.js';
export type {
  Complaint,
  ComplaintActionType,
  ComplaintImage,
  ComplaintImageDownloadOptions,
  ComplaintListQuery,
  ComplaintMedia,
  ComplaintNotification,
  ComplaintNotificationUrl,
  ComplaintNotificationUrlRequest,
  ComplaintOrderInfo,
  ComplaintPage,
  ComplaintReadOptions,
  ComplaintRefundProgressRequest,
  ComplaintResponseRequest,
  ComplaintServiceOrderInfo,
  ComplaintState,
  NegotiationHistoryEntry,
  NegotiationHistoryPage,
  NegotiationHistoryQuery,
} from './core/products/complaints/complaints.types.js';
export type {
  ComplaintedMchidDto,
  ComplaintListQueryDto,
  ComplaintNotificationUrlDto,
  ComplaintRefundProgressDto,
  ComplaintResponseDto,
  MiniProgramJumpInfoDto,
  NegotiationHistoryQueryDto,
} from './core/products/complaints/complaints.dto.js';

// The v3 transport and verification
export type { V3RequestOptions, V3Response } from './core/v3/v3-client.js';
export type { HttpMethod } from './core/http/transport.js';
export type {
  PlatformCertificateInfo,
  PlatformKey,
  PlatformKeyStatus,
  PlatformKeyStore,
} from './core/v3/platform-key-store.js';
export type { V3SignatureVerifier } from './core/v3/signature-verifier.js';

// API v2 (client.v2)
export type { WechatPayV2Api } from './core/v2/v2-api.js';
export type { V2RequestOptions } from './core/v2/v2-client.js';
export type { V2Fields } from './core/v2/xml.js';

// Notifications
export { WechatNotify } from './nest/notify/wechat-notify.decorator.js';
export {
  isWechatNotifyHandler,
  type WechatNotifyOptions,
} from './nest/notify/wechat-notify.options.js';
export { WechatNotification, WechatPayload } from './nest/notify/wechat-payload.decorator.js';
export { useWechatPayRawBody, type WechatPayRawBodyOptions } from './nest/notify/raw-body.js';
export { WechatPayNotifyGuard } from './nest/notify/notify.guard.js';
export { WechatPayNotifyExceptionFilter } from './nest/notify/notify-exception.filter.js';
export { WechatPayNotifyException } from './nest/notify/notify-exception.js';
export type {
  NotificationEnvelope,
  RefundNotification,
  TransactionNotification,
  V3NotificationBody,
  VerifiedNotification,
  WechatPayEventType,
} from './core/notify/notification.types.js';
export type {
  V2NotificationContext,
  V2PaymentNotification,
  V2RefundNotification,
} from './core/notify/v2-notification.js';
export type {
  DeduplicationLogger,
  DeduplicationOptions,
  DeliveryDecision,
  DeliveryOutcome,
  NotificationDeduplicator,
} from './core/notify/notification-deduplicator.js';

export {
  ACK_CONTENT_TYPE,
  failureAnswer,
  type NotificationAnswer,
  type NotificationVersion,
  successAnswer,
  V2_SUCCESS_ACK,
  v2FailureAck,
  V3_SUCCESS_ACK,
  v3FailureAck,
} from './core/notify/acknowledgement.js';
export {
  type NotificationClient,
  type NotificationHandler,
  notificationKey,
  NotificationReceiver,
  type NotificationRequest,
  type NotificationRouteOptions,
  receiveNotification,
  type ReceiveNotificationOptions,
} from './core/notify/notification-receiver.js';
export {
  type NotificationLogger,
  NotificationRefusal,
  type NotificationRefusalReason,
} from './core/notify/notification-refusal.js';

// Health (the @nestjs/terminus indicator is in nestjs-wechatpay/health)
export {
  checkWechatPayHealth,
  type WechatPayHealthCheck,
  type WechatPayHealthCheckResult,
  type WechatPayHealthOptions,
  type WechatPayHealthReport,
} from './core/health/wechatpay-health.js';

// Idempotency stores (exactly-once notifications)
export type { ClaimResult, IdempotencyStore } from './core/store/idempotency-store.js';
export {
  MemoryIdempotencyStore,
  type MemoryIdempotencyStoreOptions,
} from './core/store/memory-idempotency-store.js';
export {
  RedisIdempotencyStore,
  type RedisIdempotencyStoreOptions,
  type RedisLikeClient,
} from './core/store/redis-idempotency-store.js';

// Missed-notification recovery: scheduled order queries, close at expiry
export { businessEventKey } from './core/notify/business-key.js';
export type {
  PrepayRecoveryOptions,
  RecoveryOrder,
  RecoveryOutcome,
  RecoveryOutcomeHook,
  RecoveryPaymentHandler,
  RecoverySubOrder,
  RecoveryTask,
} from './core/recovery/recovery.types.js';
export {
  DEFAULT_ORDER_EXPIRY_MS,
  DEFAULT_RECOVERY_SCHEDULE_MS,
  DEFAULT_REFUND_WATCH_MS,
} from './core/recovery/recovery-schedule.js';
export { MemoryRecoveryStore, type RecoveryStore } from './core/recovery/recovery-store.js';
export { FileRecoveryStore } from './core/recovery/file-recovery-store.js';
export { type RedisHashClient, RedisRecoveryStore } from './core/recovery/redis-recovery-store.js';
export type { RecoveryScheduler, RecoveryStep } from './core/recovery/recovery-scheduler.js';
export type { RecoverySchedulerHealth } from './core/recovery/scheduler-health.js';
export {
  EmbeddedRecoveryScheduler,
  type EmbeddedRecoverySchedulerOptions,
} from './core/recovery/embedded-recovery-scheduler.js';
export {
  BullmqRecoveryScheduler,
  type BullmqRecoverySchedulerOptions,
} from './core/recovery/bullmq-recovery-scheduler.js';
export type { RecoveryHandlers, RefundEventType } from './core/recovery/order-recovery.js';
export { PaymentRecovery, type PlacedOrder } from './core/recovery/payment-recovery.js';
export {
  WechatRecoveryOutcome,
  type WechatRecoveryOutcomeOptions,
} from './nest/recovery/wechat-recovery-outcome.decorator.js';

// Errors
export {
  WechatPayApiError,
  WechatPayConfigError,
  WechatPayDecryptError,
  WechatPayError,
  WechatPayNetworkError,
  WechatPayNotificationError,
  WechatPaySignatureError,
  WechatPayBillError,
  WechatPayStoreError,
  WechatPayValidationError,
  type IdempotencyStoreOperation,
  type WechatPayApiErrorDetails,
  type WechatPayConfigProblem,
  type WechatPayErrorOptions,
  type WechatPayNetworkErrorOptions,
  type WechatPayValidationProblem,
} from './core/errors.js';
export type { RetryDecision } from './core/retry-decision.js';

// Configuration and environment
export type { WechatPayMode, WechatPayOptions } from './core/config/options.js';
export { resolveWechatPayConfig, WechatPayConfig } from './core/config/resolve-config.js';
export { wechatPayOptionsFromEnv } from './core/config/options-from-env.js';
export { WECHATPAY_ENV, type WechatPayEnvOption } from './core/config/env-names.js';
export { WECHATPAY_DOMAINS, type WechatPayDomainName } from './core/http/domains.js';
export type { V2SignType } from './core/crypto/v2-sign.js';
