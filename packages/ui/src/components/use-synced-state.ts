import { useState } from 'react';

/**
 * Local state for a form field that follows `source` (e.g. a value from the URL): the user edits it freely, and
 * it is reset only when `source` itself changes, so unrelated re-renders keep what was typed (and the field its focus).
 */
export function useSyncedState<T>(source: T): [T, (value: T) => void] {
  const [value, setValue] = useState(source);
  const [seen, setSeen] = useState(source);
  if (!Object.is(seen, source)) {
    // Adjusting state while rendering (https://react.dev/learn/you-might-not-need-an-effect): no extra paint.
    setSeen(source);
    setValue(source);
  }
  return [value, setValue];
}
