#!/usr/bin/env node
// The `cluster` command: runs the bundled CLI (npm run build makes bundle/;
// it starts in about half the time) while it is up to date, else the
// compiled modules in dist/.
import { entryPoint } from './entry.js';

await import(entryPoint(new URL('..', import.meta.url)));
