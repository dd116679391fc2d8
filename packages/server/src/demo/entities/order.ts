import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Tracked } from '../../typeorm/tracked-decorator.js';

export type OrderStatus = 'cart' | 'placed' | 'paid' | 'packed' | 'shipped' | 'delivered' | 'cancelled';

/** An order moving through statuses. */
@Tracked({ ignoreChanges: ['updatedAt'] })
@Entity({ name: 'shop_order' })
export class Order {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'integer', name: 'customer_id' })
  customerId!: number;

  @Column({ type: 'text' })
  status!: OrderStatus;

  @Column({ type: 'jsonb' })
  lines!: { sku: string; quantity: number; price: string }[];

  @Column({ type: 'numeric', precision: 10, scale: 2 })
  total!: string;

  @Column({ type: 'jsonb', name: 'shipping_address' })
  shippingAddress!: { street: string; city: string; postcode: string; country: string };

  @Column({ type: 'text', name: 'tracking_number', nullable: true })
  trackingNumber!: string | null;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
