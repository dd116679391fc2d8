import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { run } from '../context/request-context.js';
import { customers as customerSeed, products as productSeed } from './demo-catalogue.js';
import { demoFacts } from './demo-facts.js';
import type { DemoTimeline } from './demo-timeline.js';
import { Customer } from './entities/customer.js';
import { Order, type OrderStatus } from './entities/order.js';
import { Product } from './entities/product.js';

interface Action { minutesAgo: number; run: (at: Date) => Promise<void>; spacingMs: number }
interface RequestMeta { user: string | null; method: string; url: string; requestId?: string }

const MINUTE = 60_000;

/** A small deterministic PRNG (mulberry32), so every run tells the same story. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const firstName = (name: string) => name.split(' ')[0].normalize('NFD').replace(/[^a-zA-Z]/g, '').toLowerCase();
const money = (n: number) => n.toFixed(2);

/**
 * The demo story: a week of life of a small coffee shop, written through
 * TypeORM by several users across many requests (save, update, QueryBuilder,
 * transactions), with a bulk price change, a 10,000-version record and a
 * raw-SQL correction made without application context.
 */
export async function writeDemoHistory(ds: DataSource, timeline: DemoTimeline, databaseUrl: string, now = new Date()): Promise<void> {
  const rng = random(42);
  let requestCounter = 1000;
  const request = async (meta: RequestMeta, fn: () => Promise<unknown>): Promise<void> => {
    await run({ user: meta.user, requestId: meta.requestId ?? `req-${++requestCounter}`, method: meta.method, url: meta.url }, fn);
  };

  const products = ds.getRepository(Product);
  const customers = ds.getRepository(Customer);
  const orders = ds.getRepository(Order);
  const actions: Action[] = [];
  const at = (minutesAgo: number, fn: (at: Date) => Promise<void>, spacingMs = 40) => actions.push({ minutesAgo, run: fn, spacingMs });

  // Two weeks ago: the catalogue is created in one transaction.
  at(15 * 1440, (when) => request({ user: 'marc.catalog', method: 'POST', url: '/admin/products/import' }, () =>
    ds.transaction(async (manager) => {
      for (const p of productSeed) await manager.save(manager.create(Product, { ...p, updatedAt: when }));
    })));

  // The warehouse scanner counts paper filters every minute for a week: 10,000 versions of one record.
  at(14 * 1440, (when) => request({ user: 'inventory-scanner', requestId: 'job-inventory-sync', method: 'JOB', url: 'job://inventory-sync' }, () =>
    ds.query(`DO $$ BEGIN
      FOR i IN 1..${demoFacts.largeRecord.versions - 1} LOOP
        UPDATE product SET stock = 300 + (i * 7919) % 400, updated_at = $ts$${when.toISOString()}$ts$::timestamptz + i * interval '1 minute' WHERE sku = '${demoFacts.largeRecord.sku}';
      END LOOP; END $$`)), MINUTE);

  // Customers sign up (no user yet: anonymous requests).
  const customerIds: number[] = [];
  customerSeed.forEach((c, i) => at(7 * 1440 - i * 300, (when) => request({ user: null, method: 'POST', url: '/signup' }, async () => {
    const saved = await customers.save(customers.create({ name: c.name, email: c.email, passwordHash: `scrypt$${firstName(c.name)}$${i}`, tier: 'standard', notes: null, updatedAt: when }));
    customerIds[i] = saved.id;
  })));

  // Emma changes her password: the column is excluded and updatedAt is ignored, so no history event.
  at(5000, (when) => request({ user: 'emma', method: 'PATCH', url: '/account/password' }, () =>
    customers.update({ id: customerIds[4] }, { passwordHash: 'scrypt$emma$new', updatedAt: when })));

  // Orders placed by customers: order row and stock decrements in one transaction.
  const orderIds: number[] = [];
  const sellable = productSeed.filter((p) => p.sku !== demoFacts.largeRecord.sku);
  for (let k = 0; k < 12; k++) {
    const placedAgo = 8400 - k * 600 - Math.floor(rng() * 120);
    const ci = k % customerSeed.length;
    const c = customerSeed[ci];
    const user = firstName(c.name);
    const lineCount = 1 + Math.floor(rng() * 2);
    const picked = [...sellable].sort(() => rng() - 0.5).slice(0, lineCount);
    const lines = picked.map((p) => ({ sku: p.sku, quantity: 1 + Math.floor(rng() * 3), price: p.price }));
    const total = money(lines.reduce((sum, l) => sum + l.quantity * Number(l.price), 0));
    at(placedAgo, (when) => request({ user, method: 'POST', url: '/orders' }, () =>
      ds.transaction(async (manager: EntityManager) => {
        const order = await manager.save(manager.create(Order, {
          customerId: customerIds[ci], status: 'placed', lines, total, trackingNumber: null, updatedAt: when,
          shippingAddress: { street: c.street, city: c.city, postcode: c.postcode, country: c.country },
        }));
        orderIds[k] = order.id;
        for (const line of lines) {
          await manager.createQueryBuilder().update(Product)
            .set({ stock: () => `stock - ${line.quantity}`, updatedAt: when })
            .where('sku = :sku', { sku: line.sku }).execute();
        }
      })));

    // the order's id is known once it was placed: a request naming it is built when it runs
    const setStatus = (ago: number, status: OrderStatus, meta: RequestMeta | ((orderId: number) => RequestMeta), extra: Partial<Order> = {}) => {
      if (ago > 2) at(ago, (when) => request(typeof meta === 'function' ? meta(orderIds[k]) : meta, () => orders.update({ id: orderIds[k] }, { status, updatedAt: when, ...extra })));
    };
    setStatus(placedAgo - 7, 'paid', { user: 'payments-webhook', method: 'POST', url: '/webhooks/payments' });
    if (k === 1) {
      // Support cancels Bruno's order and puts the goods back in stock.
      at(placedAgo - 60, (when) => request({ user: 'sophie.support', method: 'POST', url: `/admin/orders/${orderIds[k]}/cancel` }, () =>
        ds.transaction(async (manager) => {
          await manager.update(Order, { id: orderIds[k] }, { status: 'cancelled', updatedAt: when });
          for (const line of lines) await manager.increment(Product, { sku: line.sku }, 'stock', line.quantity);
        })));
      continue;
    }
    if (k === 2) {
      // Chloé fixes her shipping address after ordering.
      at(placedAgo - 30, (when) => request({ user, method: 'PATCH', url: `/orders/${orderIds[k]}/address` }, async () => {
        const order = await orders.findOneByOrFail({ id: orderIds[k] });
        order.shippingAddress = { ...order.shippingAddress, street: 'Rue Haute 142', postcode: '1000' };
        order.updatedAt = when;
        await orders.save(order);
      }));
    }
    setStatus(placedAgo - 300 - Math.floor(rng() * 60), 'packed', (id) => ({ user: 'lea.warehouse', method: 'PATCH', url: `/warehouse/orders/${id}` }));
    const shippedAgo = placedAgo - 420 - Math.floor(rng() * 60);
    if (shippedAgo > 2) at(shippedAgo, (when) => request({ user: 'lea.warehouse', method: 'POST', url: `/warehouse/orders/${orderIds[k]}/ship` }, async () => {
      await ds.createQueryBuilder().update(Order)
        .set({ status: 'shipped', trackingNumber: `1Z${String(990_000 + k * 7717)}FR`, updatedAt: when })
        .where('id = :id', { id: orderIds[k] }).execute();
    }));
    setStatus(placedAgo - 2000, 'delivered', { user: 'carrier-webhook', method: 'POST', url: '/webhooks/carrier' });
  }

  // A forgotten cart is deleted by support.
  let cartId = 0;
  at(2500, (when) => request({ user: 'farid', method: 'POST', url: '/cart' }, async () => {
    const c = customerSeed[5];
    const cart = await orders.save(orders.create({ customerId: customerIds[5], status: 'cart', lines: [{ sku: 'KTL-006', quantity: 1, price: '69.00' }], total: '69.00', trackingNumber: null, updatedAt: when, shippingAddress: { street: c.street, city: c.city, postcode: c.postcode, country: c.country } }));
    cartId = cart.id;
  }));
  at(2400, () => request({ user: 'sophie.support', method: 'DELETE', url: '/admin/carts/stale' }, async () => {
    await orders.delete({ id: cartId });
  }));

  // Support updates Alice's e-mail (the write the end-to-end tests read back).
  const email = demoFacts.emailChange;
  at(3000, (when) => request({ user: email.user, method: 'PATCH', url: email.url, requestId: email.requestId }, async () => {
    const alice = await customers.findOneByOrFail({ id: customerIds[0] });
    alice.email = email.new;
    alice.tier = 'gold';
    alice.notes = 'Asked by phone to use her family address; identity checked against order #1.';
    alice.updatedAt = when;
    await customers.save(alice);
  }));

  // The catalogue manager rewrites the grinder's description and attributes.
  at(4000, (when) => request({ user: 'marc.catalog', method: 'PUT', url: '/admin/products/GRN-005' }, async () => {
    const grinder = await products.findOneByOrFail({ sku: 'GRN-005' });
    grinder.description = 'A quiet electric grinder with 40 settings from espresso to French press. Its conical ceramic burrs keep the grind consistent and stay sharp for years, even when you grind for a whole office.';
    grinder.attributes = { burrs: 'conical ceramic', settings: 40, colors: ['black', 'white'], warranty: { years: 2 } };
    grinder.updatedAt = when;
    await products.save(grinder);
  }));
  at(900, (when) => request({ user: 'marc.catalog', method: 'PATCH', url: '/admin/products/KTL-006' }, () =>
    products.update({ sku: 'KTL-006' }, { name: 'Gooseneck Kettle 0.9 l', price: '64.00', updatedAt: when })));

  // Bulk price change: one statement, every coffee product.
  const bulk = demoFacts.bulkPriceChange;
  at(1500, (when) => request({ user: bulk.user, method: 'POST', url: bulk.url, requestId: bulk.requestId }, async () => {
    await ds.createQueryBuilder().update(Product)
      .set({ price: () => 'round(price * 1.08, 2)', updatedAt: when })
      .where('category = :category', { category: 'coffee' }).execute();
  }));

  // The warehouse adds a scale and recalibrates it, with numbers only exact JSON keeps (written as SQL text: a JS number would round them).
  const exact = demoFacts.exactNumbers;
  at(700, (when) => request({ user: exact.user, method: 'POST', url: exact.url, requestId: exact.requestId }, async () => {
    await ds.query(`INSERT INTO product (sku, name, category, description, price, stock, attributes, updated_at)
      VALUES ($1, 'Brew Scale', 'equipment', 'A 0.1 g scale with a timer.', '39.00', 10, $2::jsonb, $3)`, [exact.sku, exact.oldAttributes, when]);
    await ds.query(`UPDATE product SET attributes = $1::jsonb, updated_at = $2 WHERE sku = $3`, [exact.newAttributes, when, exact.sku]);
  }));

  // A DBA corrects a stock count with psql: no application context at all.
  const fix = demoFacts.rawSqlCorrection;
  at(600, async () => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: fix.applicationName });
    await client.connect();
    try {
      await client.query(`UPDATE product SET stock = $1 WHERE sku = $2`, [fix.stock, fix.sku]);
    } finally {
      await client.end();
    }
  });

  actions.sort((a, b) => b.minutesAgo - a.minutesAgo);
  for (const action of actions) {
    const when = new Date(now.getTime() - action.minutesAgo * MINUTE);
    await timeline.at(when, () => action.run(when), action.spacingMs);
  }
}
