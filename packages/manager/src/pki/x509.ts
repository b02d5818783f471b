// x509 is @peculiar/x509, loaded after reflect-metadata, which its dependency
// tsyringe needs at load time. Modules of this package import it from here.
import 'reflect-metadata';

export * from '@peculiar/x509';
