/** The parser of a repeatable flag (`--table a --table b`): every value, in the order given. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
