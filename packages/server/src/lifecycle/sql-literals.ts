import { quoteLiteral } from '../ddl/quote.js';

/** SQL literal of a text value or NULL. */
export const textLiteral = (value: string | null | undefined): string => (value == null ? 'NULL' : quoteLiteral(value));

/** SQL literal of a text[] value. */
export const textArrayLiteral = (values: string[]): string => `ARRAY[${values.map(quoteLiteral).join(', ')}]::text[]`;

/** SQL literal of a jsonb value. */
export const jsonbLiteral = (value: unknown): string => `${quoteLiteral(JSON.stringify(value))}::jsonb`;
