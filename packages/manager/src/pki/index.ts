export * from './ca.js';
export * from './identity.js';
export * from './joinToken.js';
export { createKeyAndCsr } from '@cluster/api';
export { csrKeyDigest } from './csr.js';
