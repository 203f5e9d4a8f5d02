export * from './role';
export * from './money';
export * from './time';
