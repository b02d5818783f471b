export * from './ca.js';
export * from './identity.js';
export * from './joinToken.js';
export { createKeyAndCsr } from './keys.js';
export { csrKeyDigest } from './csr.js';
