import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { withRowtrail } from '../typeorm/with-rowtrail.js';
import { Customer } from './entities/customer.js';
import { Order } from './entities/order.js';
import { Product } from './entities/product.js';

/** The demo shop's DataSource, wired for Rowtrail. synchronize creates its tables. */
export function createDemoDataSource(url: string): DataSource {
  return new DataSource(
    withRowtrail({
      type: 'postgres',
      url,
      entities: [Customer, Product, Order],
      synchronize: true,
      logging: false,
      extra: { application_name: 'rowtrail-demo-shop' },
    }),
  );
}
