export * from './receiver';
export * from './loopback-listener';
export * from './deep-link';
