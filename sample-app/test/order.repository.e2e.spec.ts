import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/orders/database/migrations.js';
import { type OrderDatabase, openOrderDatabase } from '../src/orders/database/order-database.js';
import { type Order, OrderRepository } from '../src/orders/order.repository.js';
import { type PostgresServer, startPostgresServer } from './postgres-server.js';

let server: PostgresServer | undefined;
afterAll(async () => {
  await server?.stop();
});

const backends = [
  { backend: 'embedded PostgreSQL (PGlite)', open: () => openOrderDatabase() },
  {
    backend: 'a PostgreSQL server (DATABASE_URL)',
    open: async () => {
      server ??= await startPostgresServer();
      return openOrderDatabase(server.url);
    },
  },
];

const coffee = { productId: 'coffee', product: 'Coffee', total: 1500, api: 'v3' } as const;
/** China time, as bills and reconciliation days are. */
const china = (time: string) => new Date(`${time}+08:00`);
const chinaDay = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

describe.each(backends)('OrderRepository on $backend', ({ open }) => {
  let database: OrderDatabase;
  let orders: OrderRepository;
  beforeAll(async () => {
    database = await open();
    orders = new OrderRepository(database);
  });
  afterAll(async () => {
    await orders?.onApplicationShutdown();
  });

  it('stores an order and reads it back as the app knows it (absent fields absent, not null)', async () => {
    const created = await orders.create(coffee);
    expect(created.id).toMatch(/^SAMPLE\d+[0-9a-f]{8}$/);
    const expected: Order = {
      id: created.id,
      ...coffee,
      status: 'CREATED',
      refundNos: [],
      anomalies: [],
      history: ['CREATED'],
    };
    expect(created).toStrictEqual(expected);
    expect(await orders.find(created.id)).toStrictEqual(expected);
    expect(await orders.find('SAMPLE-none')).toBeUndefined();
    const giftcard = await orders.create({ ...coffee, merchant: 'giftcards' });
    expect((await orders.find(giftcard.id))?.merchant).toBe('giftcards');
  });

  it('updates fields but never the status, and refuses an unknown order', async () => {
    const { id } = await orders.create(coffee);
    const updated = await orders.update(id, {
      codeUrl: 'weixin://wxpay/bizpayurl?pr=abc',
      total: 990,
    });
    expect(updated).toMatchObject({ codeUrl: 'weixin://wxpay/bizpayurl?pr=abc', total: 990 });
    expect(updated.status).toBe('CREATED');
    expect(await orders.find(id)).toStrictEqual(updated);
    await expect(orders.update('SAMPLE-none', { codeUrl: 'x' })).rejects.toThrow('no order');
  });

  it('flags anomalies in the order they happen', async () => {
    const { id } = await orders.create(coffee);
    await orders.flag(id, 'first');
    await orders.flag(id, 'second');
    expect((await orders.find(id))?.anomalies).toEqual(['first', 'second']);
  });

  it('transitions only from the expected status (and refund number), recording the history', async () => {
    const { id } = await orders.create(coffee);
    expect(await orders.transition(id, 'PAID', 'REFUNDING')).toBe(false);
    expect(
      await orders.transition(id, ['CLOSED', 'CREATED'], 'PAID', { transactionId: 'T1' }),
    ).toBe(true);
    expect(await orders.transition(id, 'CREATED', 'PAID')).toBe(false);
    expect(await orders.startRefund(id, `R${id}`, 1500)).toBe(true);
    expect(await orders.transition(id, 'REFUNDING', 'PAID', {}, { refundNo: 'R-other' })).toBe(
      false,
    );
    expect(await orders.transition(id, 'REFUNDING', 'PAID', {}, { refundNo: `R${id}` })).toBe(true);
    expect(await orders.transition('SAMPLE-none', 'CREATED', 'PAID')).toBe(false);
    expect(await orders.find(id)).toMatchObject({
      status: 'PAID',
      transactionId: 'T1',
      refundNo: `R${id}`,
      refundNos: [`R${id}`],
      history: ['CREATED', 'PAID', 'REFUNDING', 'PAID'],
    });
  });

  it('50 concurrent transitions of one order: exactly one wins', async () => {
    const { id } = await orders.create(coffee);
    // Half try to mark it paid, half to close it: one of all fifty may change it.
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2
          ? orders.transition(id, 'CREATED', 'PAID', { transactionId: `T${i}` })
          : orders.transition(id, 'CREATED', 'CLOSED'),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const order = (await orders.find(id))!;
    expect(order.history).toEqual(['CREATED', order.status]);
    const winner = results.indexOf(true);
    expect(order.status).toBe(winner % 2 ? 'PAID' : 'CLOSED');
    if (winner % 2) expect(order.transactionId).toBe(`T${winner}`);
  });

  it('20 concurrent refunds of one paid order: exactly one starts, with one refund recorded', async () => {
    const { id } = await orders.create(coffee);
    await orders.transition(id, 'CREATED', 'PAID');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => orders.startRefund(id, `R${id}-${i}`, 1500)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const order = (await orders.find(id))!;
    expect(order.refundNos).toEqual([`R${id}-${results.indexOf(true)}`]);
    const { rows } = await database.query('SELECT * FROM order_refunds WHERE order_id = $1', [id]);
    expect(rows).toHaveLength(1);
  });

  it('a refund refused outright is abandoned: PAID again, its number used, its record gone', async () => {
    const { id } = await orders.create(coffee);
    await orders.transition(id, 'CREATED', 'PAID');
    await orders.startRefund(id, `R${id}`, 1500);
    expect(await orders.abandonRefund(id, 'R-other')).toBe(false);
    expect(await orders.abandonRefund(id, `R${id}`)).toBe(true);
    expect(await orders.abandonRefund(id, `R${id}`)).toBe(false);
    expect(await orders.find(id)).toMatchObject({
      status: 'PAID',
      refundNos: [`R${id}`],
      history: ['CREATED', 'PAID', 'REFUNDING', 'PAID'],
    });
    const { rows } = await database.query('SELECT * FROM order_refunds WHERE order_id = $1', [id]);
    expect(rows).toEqual([]);
  });

  it('reconciliation: the orders paid or refunded on a China day, by code point, in fen, with refunds', async () => {
    const insertPaid = (id: string, paidAt: Date, status = 'PAID', total = 990) =>
      database.query(
        `INSERT INTO orders (id, product_id, product, total, api, status, history, paid_at)
         VALUES ($1, 'tea', 'Tea', $2, 'v3', $3, ARRAY[$3], $4)`,
        [id, total, status, paidAt],
      );
    // A day of its own (2001-03-01, China time) with ids whose order differs by collation.
    await insertPaid('rec-b1', china('2001-03-01T12:00:00'));
    await insertPaid('rec-B1', china('2001-03-01T00:00:00'), 'REFUNDED', 1);
    await insertPaid('rec-a1', china('2001-03-01T23:59:59.999'), 'PAID', 123456);
    await insertPaid('rec-next', china('2001-03-02T00:00:00'));
    await insertPaid('rec-before', china('2001-02-28T23:59:59'));
    await database.query(
      `INSERT INTO order_refunds (out_refund_no, order_id, amount, created_at)
       VALUES ('Rrec-B1', 'rec-B1', 1, $1), ('Rrec-before', 'rec-before', 990, $2)`,
      [china('2001-03-01T09:00:00'), china('2001-03-01T10:00:00')],
    );
    const day = [];
    for await (const order of orders.ordersPaidOrRefundedOn('2001-03-01')) day.push(order);
    expect(day).toEqual([
      {
        out_trade_no: 'rec-B1',
        amount: 1,
        state: 'refunded',
        paid_at: china('2001-03-01T00:00:00'),
        refunds: [
          { out_refund_no: 'Rrec-B1', amount: 1, created_at: china('2001-03-01T09:00:00') },
        ],
      },
      {
        out_trade_no: 'rec-a1',
        amount: 123456,
        state: 'paid',
        paid_at: china('2001-03-01T23:59:59.999'),
        refunds: [],
      },
      {
        out_trade_no: 'rec-b1',
        amount: 990,
        state: 'paid',
        paid_at: china('2001-03-01T12:00:00'),
        refunds: [],
      },
      // Paid the day before, refunded on this one: its refund is this day's.
      {
        out_trade_no: 'rec-before',
        amount: 990,
        state: 'paid',
        paid_at: china('2001-02-28T23:59:59'),
        refunds: [
          { out_refund_no: 'Rrec-before', amount: 990, created_at: china('2001-03-01T10:00:00') },
        ],
      },
    ]);
  });

  it('reconciliation: an order paid through the repository is on the day of its success time', async () => {
    const { id } = await orders.create(coffee);
    const successTime = china('2001-04-01T08:30:00');
    await orders.transition(id, 'CREATED', 'PAID', { transactionId: 'T', paidAt: successTime });
    // Closed-refund round trip back to PAID: still paid when it was first paid.
    await orders.startRefund(id, `R${id}`, 1500);
    await orders.transition(id, 'REFUNDING', 'PAID', {}, { refundNo: `R${id}` });
    const april = [];
    for await (const order of orders.ordersPaidOrRefundedOn('2001-04-01')) april.push(order);
    expect(april).toEqual([
      expect.objectContaining({
        out_trade_no: id,
        amount: 1500,
        state: 'paid',
        paid_at: successTime,
      }),
    ]);
    // Its refund was requested today: today's reconciliation lists the order for it.
    const today = [];
    for await (const order of orders.ordersPaidOrRefundedOn(chinaDay(new Date()))) {
      if (order.out_trade_no === id) today.push(order);
    }
    expect(today).toEqual([
      expect.objectContaining({
        refunds: [expect.objectContaining({ out_refund_no: `R${id}`, amount: 1500 })],
      }),
    ]);
  });

  it('reconciliation reads a busy day page by page: each order once, in order', async () => {
    await database.query(
      `INSERT INTO orders (id, product_id, product, total, api, status, history, paid_at)
       SELECT 'busy-' || lpad(n::text, 5, '0'), 'tea', 'Tea', n, 'v3', 'PAID', ARRAY['CREATED', 'PAID'],
              $1::timestamptz + n * interval '1 second'
       FROM generate_series(1, 1234) AS n`,
      [china('2001-05-01T00:00:00')],
    );
    const ids: string[] = [];
    let total = 0;
    for await (const order of orders.ordersPaidOrRefundedOn('2001-05-01')) {
      ids.push(order.out_trade_no);
      total += order.amount;
    }
    expect(ids).toHaveLength(1234);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(1234);
    expect(total).toBe((1234 * 1235) / 2);
  });

  it('reconciliation refuses a date that is not YYYY-MM-DD', async () => {
    for (const date of ['2001-3-1', '2001-13-01', 'yesterday']) {
      await expect(orders.ordersPaidOrRefundedOn(date).next()).rejects.toThrow('YYYY-MM-DD');
    }
  });
});

describe('OrderRepository on a PostgreSQL server shared by several app instances', () => {
  let admin: OrderDatabase;
  beforeAll(async () => {
    server ??= await startPostgresServer();
    admin = await openOrderDatabase(server.url);
    await admin.query('CREATE DATABASE instances');
  });
  afterAll(async () => {
    await admin?.close();
  });

  it('two instances starting at once migrate the schema once; their transitions have one winner', async () => {
    const url = server!.url.replace(/\/postgres$/, '/instances');
    const [first, second] = await Promise.all([openOrderDatabase(url), openOrderDatabase(url)]);
    try {
      const { rows } = await first.query('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows).toEqual(MIGRATIONS.map(({ id }) => ({ id })));
      const a = new OrderRepository(first);
      const b = new OrderRepository(second);
      const { id } = await a.create(coffee);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).transition(id, 'CREATED', 'PAID')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await b.find(id))?.history).toEqual(['CREATED', 'PAID']);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('a database URL that cannot be reached fails at start-up', async () => {
    const url = server!.url.replace(/\/postgres$/, '/no_such_database');
    await expect(openOrderDatabase(url)).rejects.toThrow('no_such_database');
  });
});
