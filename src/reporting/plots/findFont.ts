import { existsSync } from 'node:fs';

/** Where Debian/Ubuntu (fonts-dejavu-core), Fedora and Homebrew put DejaVu Sans. */
const DEJAVU_PATHS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/local/share/fonts/DejaVuSans.ttf',
  '/opt/homebrew/share/fonts/DejaVuSans.ttf',
];

/**
 * The font file the PNG renderer draws text with: $SUPERCONVERGE_FONT if set, else DejaVu Sans where a system
 * package put it. resvg draws no text at all without a font, so a missing one is an error that says what to install.
 */
export function findFont(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SUPERCONVERGE_FONT;
  if (override) {
    if (!existsSync(override)) throw new Error(`SUPERCONVERGE_FONT=${override}: no such font file`);
    return override;
  }
  const found = DEJAVU_PATHS.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `no font for PNG plots: looked for DejaVu Sans in ${DEJAVU_PATHS.join(', ')}; ` +
        `install it (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set SUPERCONVERGE_FONT to a .ttf file`,
    );
  }
  return found;
}
