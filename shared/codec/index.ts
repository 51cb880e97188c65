export * from './types';
export * from './bytes';
export * from './hex';
export * from './escapes';
export * from './line-ending';
export * from './checksum';
export * from './framer';
