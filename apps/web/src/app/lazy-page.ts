import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * A page component loaded on first render, from its own chunk. Pages are named exports, so
 * this picks one out for React.lazy (which wants a default export). The Suspense boundary
 * around the routed page in the app shell shows the loading state; a chunk that fails to load
 * (offline, or a release replaced it) throws to the route's errorElement, which offers a reload.
 */
export function lazyPage<Name extends string, Props extends object>(
  load: () => Promise<Record<Name, ComponentType<Props>>>,
  name: Name,
): LazyExoticComponent<ComponentType<Props>> {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}
