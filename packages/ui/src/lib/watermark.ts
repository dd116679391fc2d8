/**
 * Whether `text` is an export watermark as the API takes it in `after`: PostgreSQL's pg_snapshot text `xmin:xmax:xip,…`
 * (the "watermark" of an export's header), with xmin ≤ xmax and the open transactions ascending between them. The
 * server checks it again (and refuses one its database has not reached); this lets a link or the filter form say what
 * is wrong before asking it.
 */
export function isWatermark(text: string): boolean {
  const match = /^(\d{1,19}):(\d{1,19}):(\d{1,19}(?:,\d{1,19})*)?$/.exec(text);
  if (!match) return false;
  const [xmin, xmax] = [BigInt(match[1]), BigInt(match[2])];
  if (xmin < 3n || xmin > xmax || xmax > 2n ** 63n - 1n) return false;
  const open = match[3] === undefined ? [] : match[3].split(',').map(BigInt);
  return open.every((xid, i) => xid >= xmin && xid < xmax && (i === 0 || xid > open[i - 1]));
}

export const WATERMARK_HINT = 'the "watermark" of an earlier export\'s header, such as 7430:7433:7431';
