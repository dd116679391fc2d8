/**
 * Writes of the demo story that the end-to-end tests and the docs refer to.
 * The seed makes exactly these writes; the tests read them back through the UI.
 */
export const demoFacts = {
  /** Support changes Alice's e-mail address. */
  emailChange: {
    table: 'public.customer',
    customerName: 'Alice Martin',
    user: 'sophie.support',
    requestId: 'req-2041',
    url: '/admin/customers/1',
    column: 'email',
    old: 'alice.martin@example.com',
    new: 'alice@martin-family.fr',
  },
  /** The catalogue manager rewrites a description (word diff) and JSON attributes (structured diff). */
  productEdit: {
    table: 'public.product',
    sku: 'GRN-005',
    user: 'marc.catalog',
    removedWord: 'steel',
    addedWord: 'ceramic',
    addedColor: 'white',
  },
  /** The catalogue manager raises coffee prices by 8% in one statement. */
  bulkPriceChange: {
    user: 'marc.catalog',
    requestId: 'req-3001',
    url: '/admin/prices/bulk',
    table: 'public.product',
    products: ['ESP-001', 'FLT-002', 'DEC-003'],
  },
  /** A DBA fixes a stock count with psql: no application context. */
  rawSqlCorrection: {
    applicationName: 'psql',
    sku: 'TEA-004',
    stock: 37,
  },
  /**
   * The warehouse adds a scale and recalibrates it: its JSON attributes hold numbers a JavaScript number cannot hold
   * exactly (a 64-bit serial, a 22-digit factor), which the dashboard shows with every digit.
   */
  exactNumbers: {
    table: 'public.product',
    sku: 'SCL-008',
    user: 'lea.warehouse',
    requestId: 'req-5001',
    url: '/warehouse/products/SCL-008/calibration',
    /** As jsonb writes them (keys in its order), so the stored text can be compared as is. */
    oldAttributes: '{"factor": 0.1000000000000000001, "serial": 9007199254740993}',
    newAttributes: '{"factor": 0.1000000000000000002, "serial": 9007199254740992}',
    changed: [
      { path: 'factor', old: '0.1000000000000000001', new: '0.1000000000000000002' },
      { path: 'serial', old: '9007199254740993', new: '9007199254740992' },
    ],
  },
  /** The record with 10,000 versions (stock counts from a warehouse scanner). */
  largeRecord: { table: 'public.product', sku: 'PAP-007', versions: 10_000 },
  users: ['sophie.support', 'marc.catalog', 'lea.warehouse', 'payments-webhook', 'inventory-scanner'],
} as const;
