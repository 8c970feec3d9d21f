// Rewrites the README's flag table (between its flags:begin and flags:end markers) from the declarations in
// src/shared/config/fitSettings.ts. Run after a build: npm run gen:readme-flags. test/cli/settings.test.ts fails
// while the README disagrees with the declarations.
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceFlagTable } from '../dist/src/cli/declaredFlags.js';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, replaceFlagTable(readFileSync(readme, 'utf8')));
