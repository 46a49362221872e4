import type { TestMerchant } from './test-merchant.js';

/** The merchants (and service providers) allowed to call the simulator, by mchid. */
export class SimulatorMerchants {
  private readonly byMchid = new Map<string, TestMerchant>();

  constructor(private readonly defaultMerchant: TestMerchant) {
    this.add(defaultMerchant);
  }

  /** Lets `merchant` call the simulator (replacing one with the same mchid). */
  add(merchant: TestMerchant): void {
    this.byMchid.set(merchant.mchid, merchant);
  }

  /** The merchant `mchid`, if it is known. */
  get(mchid: string | undefined): TestMerchant | undefined {
    return this.byMchid.get(mchid ?? '');
  }

  /** The merchant `mchid`, or the default one for records no known merchant placed. */
  getOrDefault(mchid: string): TestMerchant {
    return this.byMchid.get(mchid) ?? this.defaultMerchant;
  }

  /** Every known merchant. */
  values(): IterableIterator<TestMerchant> {
    return this.byMchid.values();
  }
}
