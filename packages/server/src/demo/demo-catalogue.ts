/** Initial data of the demo shop. */
export const products = [
  { sku: 'ESP-001', name: 'Espresso Roast 1kg', category: 'coffee', price: '24.90', stock: 120, attributes: { origin: ['Brazil', 'Ethiopia'], roast: 'dark', organic: false },
    description: 'A chocolatey espresso blend with notes of hazelnut and a long, sweet finish. Roasted every Tuesday in small batches.' },
  { sku: 'FLT-002', name: 'Filter Blend 500g', category: 'coffee', price: '13.50', stock: 80, attributes: { origin: ['Kenya'], roast: 'light', organic: true },
    description: 'Bright and juicy filter coffee with blackcurrant acidity. Best brewed with a pour-over at 94 °C.' },
  { sku: 'DEC-003', name: 'Decaf Colombia 500g', category: 'coffee', price: '14.20', stock: 45, attributes: { origin: ['Colombia'], roast: 'medium', process: 'sugar cane' },
    description: 'Sugar-cane decaffeinated coffee from Huila, with caramel sweetness and a soft body.' },
  { sku: 'TEA-004', name: 'Sencha Green Tea 100g', category: 'tea', price: '8.90', stock: 60, attributes: { origin: ['Japan'], harvest: 'first flush' },
    description: 'Steamed Japanese green tea with a grassy, umami taste. Steep at 70 °C for one minute.' },
  { sku: 'GRN-005', name: 'Burr Grinder Pro', category: 'equipment', price: '149.00', stock: 12, attributes: { burrs: 'conical steel', settings: 40, colors: ['black'] },
    description: 'A quiet electric grinder with 40 settings from espresso to French press. Its conical steel burrs keep the grind consistent and the motor cool, even when you grind for a whole office.' },
  { sku: 'KTL-006', name: 'Gooseneck Kettle', category: 'equipment', price: '69.00', stock: 25, attributes: { volume: '0.9 l', temperatureControl: true },
    description: 'Electric pour-over kettle with precise temperature control and a hold-warm mode.' },
  { sku: 'PAP-007', name: 'Paper Filters (100)', category: 'equipment', price: '5.50', stock: 500, attributes: { size: '02', bleached: false },
    description: 'Unbleached paper filters for cone drippers, counted continuously by the warehouse scanner.' },
];

export const customers = [
  { name: 'Alice Martin', email: 'alice.martin@example.com', city: 'Lyon', postcode: '69003', country: 'FR', street: '12 rue Garibaldi' },
  { name: 'Bruno Costa', email: 'bruno.costa@example.com', city: 'Porto', postcode: '4000-322', country: 'PT', street: 'Rua das Flores 88' },
  { name: 'Chloé Dubois', email: 'chloe.dubois@example.com', city: 'Bruxelles', postcode: '1000', country: 'BE', street: 'Rue Haute 140' },
  { name: 'David Okafor', email: 'david.okafor@example.com', city: 'Dublin', postcode: 'D02 X285', country: 'IE', street: '7 Camden Row' },
  { name: 'Emma Schultz', email: 'emma.schultz@example.com', city: 'Berlin', postcode: '10115', country: 'DE', street: 'Invalidenstraße 43' },
  { name: 'Farid Haddad', email: 'farid.haddad@example.com', city: 'Marseille', postcode: '13001', country: 'FR', street: '3 cours Julien' },
];
