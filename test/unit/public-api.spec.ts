import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The published names of each entry point. A change here is a change of the public API: make it
// on purpose, with the README and the changelog, never as a side effect of an `export *`.
const root = fileURLToPath(new URL('../../', import.meta.url));

const ENTRIES = {
  'nestjs-wechatpay': {
    file: 'lib/index.ts',
    load: () => import('../../lib/index.js'),
    values: [
      'ACK_CONTENT_TYPE',
      'InjectWechatPay',
      'MemoryIdempotencyStore',
      'NotificationReceiver',
      'NotificationRefusal',
      'RedisIdempotencyStore',
      'V2_SUCCESS_ACK',
      'V3_SUCCESS_ACK',
      'WECHATPAY_DOMAINS',
      'WECHATPAY_ENV',
      'WechatNotification',
      'WechatNotify',
      'WechatPayApiError',
      'WechatPayClient',
      'WechatPayConfig',
      'WechatPayConfigError',
      'WechatPayDecryptError',
      'WechatPayError',
      'WechatPayModule',
      'WechatPayNetworkError',
      'WechatPayNotificationError',
      'WechatPayNotifyException',
      'WechatPayNotifyExceptionFilter',
      'WechatPayNotifyGuard',
      'WechatPayService',
      'WechatPaySignatureError',
      'WechatPayStoreError',
      'WechatPayValidationError',
      'WechatPayload',
      'failureAnswer',
      'getWechatPayToken',
      'isCombineNotification',
      'isWechatNotifyHandler',
      'notificationKey',
      'receiveNotification',
      'resolveWechatPayConfig',
      'successAnswer',
      'useWechatPayRawBody',
      'v2FailureAck',
      'v3FailureAck',
      'wechatPayConfig',
      'wechatPayOptionsFromEnv',
    ],
    types: [
      'AbnormalRefundDto',
      'AbnormalRefundRequest',
      'AmountDto',
      'AppPayParams',
      'AppPrepayResult',
      'BillDownloadOptions',
      'BillInfo',
      'Bills',
      'ClaimResult',
      'Combine',
      'CombineAmountDto',
      'CombineAppPrepayDto',
      'CombineCloseDto',
      'CombineCloseRequest',
      'CombineCloseSubOrderDto',
      'CombineH5PrepayDto',
      'CombineH5PrepayOrder',
      'CombineH5PrepayResult',
      'CombineH5SceneInfoDto',
      'CombineJsapiPrepayDto',
      'CombineJsapiPrepayOrder',
      'CombineNativePrepayResult',
      'CombinePayerInfoDto',
      'CombinePrepayIdResult',
      'CombinePrepayOrder',
      'CombineSceneInfoDto',
      'CombineSettleInfoDto',
      'CombineSubOrder',
      'CombineSubOrderAmount',
      'CombineSubOrderDto',
      'CombineTransaction',
      'CombineTransactionNotification',
      'DeduplicationLogger',
      'DeduplicationOptions',
      'DeliveryDecision',
      'DeliveryOutcome',
      'FundFlowBillDto',
      'H5InfoDto',
      'H5PrepayDto',
      'H5PrepayOrder',
      'H5PrepayResult',
      'H5SceneInfoDto',
      'HttpMethod',
      'IdempotencyStore',
      'IdempotencyStoreOperation',
      'JsapiPayParams',
      'JsapiPrepayDto',
      'JsapiPrepayOrder',
      'JsapiPrepayResult',
      'MemoryIdempotencyStoreOptions',
      'MicropayDto',
      'NativePrepayResult',
      'NotificationAnswer',
      'NotificationClient',
      'NotificationDeduplicator',
      'NotificationEnvelope',
      'NotificationHandler',
      'NotificationLogger',
      'NotificationRequest',
      'NotificationRouteOptions',
      'NotificationVersion',
      'OutTradeNoDto',
      'PaidCombineSubOrder',
      'PayerDto',
      'Payments',
      'PlatformKey',
      'PlatformKeyStore',
      'PrepayDto',
      'PrepayOrder',
      'ReceiveNotificationOptions',
      'RedisIdempotencyStoreOptions',
      'RedisLikeClient',
      'Refund',
      'RefundAmount',
      'RefundAmountDto',
      'RefundDto',
      'RefundNotification',
      'RefundQueryDto',
      'RefundRequest',
      'RefundStatus',
      'Refunds',
      'RetryDecision',
      'SceneInfoDto',
      'SubMerchantDto',
      'SubMerchantOptions',
      'TradeBillDto',
      'TradeState',
      'Transaction',
      'TransactionAmount',
      'TransactionNotification',
      'UnifiedOrderDto',
      'V2AppPayParams',
      'V2AppPayParamsOptions',
      'V2BillDto',
      'V2Bills',
      'V2Fields',
      'V2FundFlowDto',
      'V2JsapiPayParams',
      'V2Micropay',
      'V2NotificationContext',
      'V2OrderRef',
      'V2OrderRefDto',
      'V2PayParamsOptions',
      'V2PaymentNotification',
      'V2Payments',
      'V2RefundDto',
      'V2RefundNotification',
      'V2RefundQuery',
      'V2RefundQueryDto',
      'V2RefundRequest',
      'V2Refunds',
      'V2RequestOptions',
      'V2SignType',
      'V2UnifiedOrder',
      'V2UnifiedOrderResult',
      'V3NotificationBody',
      'V3RequestOptions',
      'V3Response',
      'V3SignatureVerifier',
      'VerifiedNotification',
      'WechatNotifyOptions',
      'WechatPayApiErrorDetails',
      'WechatPayClientOptions',
      'WechatPayConfigFactory',
      'WechatPayConfigProblem',
      'WechatPayDomainName',
      'WechatPayEnvOption',
      'WechatPayErrorOptions',
      'WechatPayEventType',
      'WechatPayMode',
      'WechatPayModuleAsyncOptions',
      'WechatPayModuleExtras',
      'WechatPayModuleOptions',
      'WechatPayNetworkErrorOptions',
      'WechatPayOptions',
      'WechatPayOptionsFactory',
      'WechatPayRawBodyOptions',
      'WechatPayV2Api',
      'WechatPayValidationProblem',
    ],
  },
  'nestjs-wechatpay/crypto': {
    file: 'lib/core/crypto/index.ts',
    load: () => import('../../lib/core/crypto/index.js'),
    values: [
      'buildAuthorization',
      'buildV2SignString',
      'buildV3Message',
      'decryptResource',
      'decryptSensitive',
      'decryptV2RefundInfo',
      'encryptResource',
      'encryptSensitive',
      'encryptV2RefundInfo',
      'generateNonce',
      'signV2',
      'signV3Message',
      'toApiV3Key',
      'toRsaPrivateKey',
      'toRsaPublicKey',
      'verifyV2',
      'verifyV3Message',
    ],
    types: [
      'AuthorizationInput',
      'EncryptResourceOptions',
      'EncryptedResource',
      'KeyInput',
      'V2SignType',
    ],
  },
  'nestjs-wechatpay/testing': {
    file: 'lib/testing/index.ts',
    load: () => import('../../lib/testing/index.js'),
    values: [
      'NOTIFY_RETRY_SCHEDULE_SECONDS',
      'WechatPaySimulator',
      'createPlatformCertificate',
      'createTestMerchant',
    ],
    types: [
      'NotificationDelivery',
      'NotificationTamper',
      'PlatformCertificate',
      'ResponseTamper',
      'SimulatedOrder',
      'SimulatedRefund',
      'SimulatorFault',
      'SimulatorListener',
      'SimulatorNotifierOptions',
      'SimulatorRequestRecord',
      'SimulatorVerification',
      'TestMerchant',
      'WechatPaySimulatorOptions',
    ],
  },
} as const;

/** Every exported name of each entry, as the compiler sees them, with its documentation. */
const compiled = (() => {
  const files = Object.values(ENTRIES).map((e) => root + e.file);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    root + 'tsconfig.json',
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  return (file: string) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(root + file)!)!;
    return checker.getExportsOfModule(module).map((symbol) => {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return {
        name: symbol.name,
        documented: ts.displayPartsToString(target.getDocumentationComment(checker)).trim() !== '',
      };
    });
  };
})();

const sorted = (names: readonly string[]) => [...names].sort();

describe.each(Object.entries(ENTRIES))('%s', (_, entry) => {
  it('exports exactly the pinned values at run time', async () => {
    expect(sorted(Object.keys(await entry.load()))).toEqual(sorted(entry.values));
  });

  it('exports exactly the pinned names, values and types, to TypeScript', () => {
    expect(sorted(compiled(entry.file).map((e) => e.name))).toEqual(
      sorted([...entry.values, ...entry.types]),
    );
  });

  it('documents every exported name with JSDoc', () => {
    expect(
      compiled(entry.file)
        .filter((e) => !e.documented)
        .map((e) => e.name),
    ).toEqual([]);
  });

  it('lists its exports by name: no `export *`', () => {
    const text = ts.sys.readFile(root + entry.file)!;
    expect(text).not.toMatch(/export\s+(type\s+)?\*/);
  });
});
