export * from './schema';
export * from './store';
export * from './secret-store';
