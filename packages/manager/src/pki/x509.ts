// x509 is @peculiar/x509, loaded after the Reflect metadata it needs.
// Modules of this package import the library from here, never directly.
import './reflectMetadata.js';

export * from '@peculiar/x509';
