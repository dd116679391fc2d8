import { InvalidArgumentError, type Option } from 'commander';

/**
 * The parser of a flag that takes one value. Given twice (`--user alice --user bob`), the later value would silently
 * win and the command act on another selection or database than its command line seems to say; the HTTP API answers
 * 400 for a parameter given twice.
 */
export function once(flag: string): (value: string) => string {
  let given = false;
  return (value) => {
    if (given) throw new InvalidArgumentError(`${flag} was given more than once: give it once`);
    given = true;
    return value;
  };
}

/** An option with a parser of its own (choices(), say) that is refused when given twice, as once() does. */
export function givenOnce(option: Option): Option {
  const check = once(option.long ?? option.flags);
  const parse = option.parseArg;
  return option.argParser((value: string, previous: unknown) => (parse ? parse(check(value), previous) : check(value)));
}
