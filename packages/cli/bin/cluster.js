#!/usr/bin/env node
// The `cluster` command: a shim over the compiled CLI (npm run build makes dist/).
import '../dist/bin.js';
