import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 8 bits a channel, row-major. */
  rgba: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk; throws if the signature or the first chunk is wrong. */
export function pngSize(buf: Buffer): { width: number; height: number; bitDepth: number; colourType: number } {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: first chunk is not IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf[24], colourType: buf[25] };
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what resvg and Chromium write): inflate IDAT, undo the filters. */
export function decodePng(buf: Buffer): DecodedPng {
  const { width, height, bitDepth, colourType } = pngSize(buf);
  if (bitDepth !== 8 || (colourType !== 6 && colourType !== 2) || buf[28] !== 0) {
    throw new Error(
      `decodePng: only 8-bit non-interlaced RGB/RGBA, got depth ${bitDepth} type ${colourType} interlace ${buf[28]}`,
    );
  }
  const channels = colourType === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? px[y * stride + x - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`decodePng: bad filter ${filter} on row ${y}`);
      px[y * stride + x] = (line[x] + pred) & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: px };
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([px[i * 3], px[i * 3 + 1], px[i * 3 + 2], 255], i * 4);
  return { width, height, rgba };
}

/** What a plot's pixels hold: distinct colours, the share of non-white pixels, and dark (text-like) pixels. */
export function pixelStats(img: DecodedPng): { colours: number; inkFraction: number; darkPixels: number } {
  const colours = new Set<number>();
  let ink = 0;
  let dark = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [img.rgba[i * 4], img.rgba[i * 4 + 1], img.rgba[i * 4 + 2]];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 245 || g < 245 || b < 245) ink++;
    if (r < 80 && g < 80 && b < 80) dark++;
  }
  return { colours: colours.size, inkFraction: ink / n, darkPixels: dark };
}
