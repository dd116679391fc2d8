import { useEffect, useRef } from 'react';

/** Calls load() when the returned element scrolls into view (infinite scroll). */
export function useLoadMore(load: () => void, enabled: boolean) {
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || !enabled) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) load();
    }, { rootMargin: '400px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [load, enabled]);
  return ref;
}
