/**
 * The value of a numeric flag, read strictly: digits only (with a fraction when fraction is set), within [min, max]. What
 * Number() also takes would pass silently: '' (an unset `--port "$PORT"`) as 0, '1e3', '0x10', ' 7 '.
 */
export function numberFlag(flag: string, value: string, min: number, max: number, what: string, fraction = false): number {
  const n = Number(value);
  if (!(fraction ? /^\d+(\.\d+)?$/ : /^\d+$/).test(value) || n < min || n > max) throw new Error(`${flag} must be ${what}, got ${/^\S+$/.test(value) ? value : JSON.stringify(value)}`);
  return n;
}
