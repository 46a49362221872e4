import {
  Controller,
  type DynamicModule,
  Get,
  Injectable,
  Module,
  type INestApplication,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InjectWechatPay,
  wechatPayConfig,
  WechatPayConfigError,
  WechatPayModule,
  type WechatPayOptions,
  wechatPayOptionsFromEnv,
  WechatPayService,
} from '../../lib/index.js';
import { createTestMerchant } from '../../lib/testing/index.js';
import { ADAPTERS, CapturingLogger, startApp } from '../support/nest-app.js';

// These merchants point at WeChat Pay's real domains: no start-up check, so no test goes online.
const offline = { startupTimeout: 0 };
const main = createTestMerchant(offline);
const hk = createTestMerchant(offline);
const dir = mkdtempSync(join(tmpdir(), 'wechatpay-module-'));
const keyPath = join(dir, 'apiclient_key.pem');
writeFileSync(keyPath, main.privateKeyPem);

function stubMerchantEnv(): void {
  vi.stubEnv('WECHATPAY_MCHID', main.mchid);
  vi.stubEnv('WECHATPAY_APPID', main.appid);
  vi.stubEnv('WECHATPAY_SERIAL_NO', main.serialNo);
  vi.stubEnv('WECHATPAY_PRIVATE_KEY_PATH', keyPath);
  vi.stubEnv('WECHATPAY_API_V3_KEY', main.apiV3Key);
  vi.stubEnv('WECHATPAY_API_KEY', main.apiKey);
  vi.stubEnv('WECHATPAY_DOMAIN', 'HK');
  vi.stubEnv('WECHATPAY_STARTUP_TIMEOUT', '0');
}

@Controller('merchants')
class MerchantsController {
  constructor(
    private readonly wechatPay: WechatPayService,
    @InjectWechatPay('hk') private readonly hongKong: WechatPayService,
  ) {}

  @Get()
  list() {
    return [this.wechatPay, this.hongKong].map((s) => ({
      name: s.name ?? null,
      mchid: s.mchid,
      domain: s.config.domains.primary,
    }));
  }
}

let app: INestApplication | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await app?.close();
  app = undefined;
});

describe.each(ADAPTERS)('WechatPayModule on %s', (adapter) => {
  it('forRootAsync + ConfigModule + wechatPayConfig reads the merchant from the environment', async () => {
    stubMerchantEnv();
    @Module({
      imports: [
        WechatPayModule.forRootAsync({
          imports: [ConfigModule.forFeature(wechatPayConfig)],
          inject: [wechatPayConfig.KEY],
          useFactory: (options: WechatPayOptions) => options,
        }),
      ],
    })
    class AppModule {}
    ({ app } = await startApp(AppModule, adapter));
    const service = app.get(WechatPayService);
    expect(service.mchid).toBe(main.mchid);
    expect(service.config.appid).toBe(main.appid);
    expect(service.config.domains.primary).toBe('https://apihk.mch.weixin.qq.com');
    expect(service.config.privateKey).toBeInstanceOf(KeyObject);
    // The key read from the file is the one the merchant holds.
    expect(service.config.privateKey?.equals(main.privateKey)).toBe(true);
  });

  it('wechatPayConfig.asProvider() and a ConfigService factory work the same way', async () => {
    stubMerchantEnv();
    @Module({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        WechatPayModule.forRootAsync(wechatPayConfig.asProvider()),
        WechatPayModule.forRootAsync({
          name: 'hk',
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            mchid: hk.mchid,
            apiKey: hk.apiKey,
            domain: config.getOrThrow<string>('WECHATPAY_DOMAIN'),
          }),
        }),
      ],
      controllers: [MerchantsController],
    })
    class AppModule {}
    let url: string;
    ({ app, url } = await startApp(AppModule, adapter));
    const response = await fetch(`${url}/merchants`);
    expect(await response.json()).toEqual([
      { name: null, mchid: main.mchid, domain: 'https://apihk.mch.weixin.qq.com' },
      { name: 'hk', mchid: hk.mchid, domain: 'https://apihk.mch.weixin.qq.com' },
    ]);
  });

  it('serves two named merchants and the default one in one app', async () => {
    @Module({
      imports: [
        WechatPayModule.forRoot(main.options),
        WechatPayModule.forRoot({ ...hk.options, name: 'hk', domain: 'HK' }),
        WechatPayModule.forRoot({
          ...createTestMerchant({ ...offline, mchid: '1900000333' }).options,
          name: 'us',
          domain: 'US',
        }),
      ],
      controllers: [MerchantsController],
    })
    class AppModule {}
    let url: string;
    ({ app, url } = await startApp(AppModule, adapter));
    expect(await (await fetch(`${url}/merchants`)).json()).toEqual([
      { name: null, mchid: main.mchid, domain: 'https://api.mch.weixin.qq.com' },
      { name: 'hk', mchid: hk.mchid, domain: 'https://apihk.mch.weixin.qq.com' },
    ]);
    expect(app.get<WechatPayService>('WechatPayService:us').mchid).toBe('1900000333');
  });

  it('forRootAsync with useClass, and isGlobal for feature modules', async () => {
    class OptionsFactory {
      createWechatPayOptions(): WechatPayOptions {
        return main.options;
      }
    }
    const { AppModule, Checkout } = featureApp(
      WechatPayModule.forRootAsync({ useClass: OptionsFactory, isGlobal: true }),
    );
    ({ app } = await startApp(AppModule, adapter));
    expect(app.get(Checkout).wechatPay.mchid).toBe(main.mchid);
  });

  it('forRoot with isGlobal: true makes the service injectable in feature modules', async () => {
    const { AppModule, Checkout } = featureApp(
      WechatPayModule.forRoot({ ...main.options, isGlobal: true }),
    );
    ({ app } = await startApp(AppModule, adapter));
    expect(app.get(Checkout).wechatPay.mchid).toBe(main.mchid);
  });

  it('without isGlobal a feature module that does not import WechatPayModule cannot inject it', async () => {
    const { AppModule } = featureApp(WechatPayModule.forRoot(main.options));
    await expect(startApp(AppModule, adapter)).rejects.toThrow(/WechatPayService/);
  });

  it('forRootAsync with useExisting takes the factory from an imported module', async () => {
    @Injectable()
    class ExistingFactory {
      createWechatPayOptions(): WechatPayOptions {
        return { ...main.options, domain: 'US' };
      }
    }
    @Module({ providers: [ExistingFactory], exports: [ExistingFactory] })
    class OptionsModule {}
    @Module({
      imports: [
        WechatPayModule.forRootAsync({ imports: [OptionsModule], useExisting: ExistingFactory }),
      ],
    })
    class AppModule {}
    ({ app } = await startApp(AppModule, adapter));
    expect(app.get(WechatPayService).config.domains.primary).toBe(
      'https://apius.mch.weixin.qq.com',
    );
  });

  describe('a bad configuration stops start-up with the field named and no secret printed', () => {
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const cases: [string, () => WechatPayOptions, string][] = [
      [
        'missing mchid',
        () => ({ ...main.options, mchid: undefined as unknown as string }),
        'mchid',
      ],
      [
        'APIv3 key of 31 bytes',
        () => ({ ...main.options, apiV3Key: main.apiV3Key.slice(1) }),
        'apiV3Key',
      ],
      [
        'unreadable key file',
        () => ({ ...main.options, privateKey: undefined, privateKeyPath: join(dir, 'nope.pem') }),
        'privateKeyPath',
      ],
      ['non-RSA private key', () => ({ ...main.options, privateKey: ecKey }), 'privateKey'],
      ['unknown domain', () => ({ ...main.options, domain: 'api.mch.weixin.qq.com' }), 'domain'],
    ];

    it.each(cases)('%s', async (_name, options, field) => {
      const logger = new CapturingLogger();
      @Module({
        imports: [
          WechatPayModule.forRootAsync({
            name: 'shop',
            useFactory: () => Promise.resolve(options()),
          }),
        ],
      })
      class AppModule {}
      const start = startApp(AppModule, adapter, logger);
      const error = await start.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WechatPayConfigError);
      expect((error as WechatPayConfigError).fields).toContain(field);
      expect((error as Error).message).toContain('merchant "shop"');
      // Nest logged the error, so the log is checked too. The options were passed in code, so
      // the option is named and no environment variable is.
      expect(logger.text).toContain(`  - ${field}: `);
      expect((error as Error).message).not.toContain('WECHATPAY_');
      const everything = `${(error as Error).message}\n${logger.text}`;
      for (const secret of [
        main.apiV3Key,
        main.apiV3Key.slice(1),
        main.apiKey,
        main.privateKeyPem.split('\n')[1]!,
        ecKey.split('\n')[1]!,
      ]) {
        expect(everything).not.toContain(secret);
      }
    });
  });

  describe('a bad value from the environment is reported with the variable it came from', () => {
    async function startupError(module: new () => object): Promise<WechatPayConfigError> {
      const error = await startApp(module, adapter).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WechatPayConfigError);
      return error as WechatPayConfigError;
    }

    it('forRootAsync(wechatPayConfig.asProvider())', async () => {
      stubMerchantEnv();
      vi.stubEnv('WECHATPAY_API_V3_KEY', main.apiV3Key.slice(1));
      @Module({
        imports: [
          ConfigModule.forRoot({ ignoreEnvFile: true }),
          WechatPayModule.forRootAsync(wechatPayConfig.asProvider()),
        ],
      })
      class AppModule {}
      const error = await startupError(AppModule);
      expect(error.problems).toEqual([
        expect.objectContaining({ field: 'apiV3Key', env: 'WECHATPAY_API_V3_KEY' }),
      ]);
      expect(error.message).toContain('apiV3Key (WECHATPAY_API_V3_KEY): must be exactly 32 bytes');
    });

    it('forRoot({ name, ...wechatPayOptionsFromEnv(env, prefix) }), under its prefix', async () => {
      const env = {
        WECHATPAY_HK_MCHID: hk.mchid,
        WECHATPAY_HK_API_KEY: hk.apiKey.slice(1),
      };
      @Module({
        imports: [
          WechatPayModule.forRoot({
            name: 'hk',
            ...wechatPayOptionsFromEnv(env, 'WECHATPAY_HK_'),
          }),
        ],
      })
      class AppModule {}
      const error = await startupError(AppModule);
      expect(error.problems).toEqual([
        expect.objectContaining({ field: 'apiKey', env: 'WECHATPAY_HK_API_KEY' }),
      ]);
      expect(error.message).toContain('merchant "hk"');
    });
  });
});

/** An app whose feature module injects WechatPayService without importing WechatPayModule itself. */
function featureApp(registration: DynamicModule) {
  @Injectable()
  class Checkout {
    constructor(readonly wechatPay: WechatPayService) {}
  }
  @Module({ providers: [Checkout] })
  class CheckoutModule {}
  @Module({ imports: [registration, CheckoutModule] })
  class AppModule {}
  return { AppModule, Checkout };
}
