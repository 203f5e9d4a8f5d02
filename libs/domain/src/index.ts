export * from './role';
export * from './money';
export * from './time';
export * from './practice-areas';
export * from './sessions';
export * from './legal';
export * from './jurisdictions';
export * from './languages';
