/**
 * WAT of the Winograd transforms F(2x2,3x3) and F(4x4,3x3) (Lavin & Gray 2016, "Fast Algorithms for Convolutional
 * Neural Networks"; the tilings NNPACK and oneDNN use) for 3x3 stride-1 convolutions in NHWC, in wasm SIMD128
 * vectorized over channels (a tile element is a contiguous channel vector). F(m x m, 3x3) computes an m x m output
 * tile from an a x a input window (a = m + 2; tiles m apart) as
 *   y = A^T [ (G g G^T) .* (B^T d B) ] A,
 * with a*a multiply-adds per tile and channel pair where direct convolution does 9*m*m (2.25x fewer for m = 2, 4x
 * for m = 4, whose transforms have larger coefficients: more rounding error, and more adds). The a*a GEMMs between
 * the transforms run on the project's igemm (conv2DWinograd.ts). Module exports, for each m (the suffix):
 *
 *   wgFilter<m>(rows, cols, src, sKy, sKx, sRow, sCol, dst, eBytes)
 *   U = G g G^T for every (row, col) of a 3x3 filter whose tap (ky, kx) of (row, col) lies at
 *   src + ky*sKy + kx*sKx + row*sRow + col*sCol (any strides, negative too: the input gradient reads the filter
 *   rotated and transposed), written straight into igemm's packed-B layout (panels of GEMM_NR columns): element
 *   e = a*i + j of U at dst + e*eBytes + (col / NR)*rows*NR*4 + row*NR*4 + (col % NR)*4. The panels' padding
 *   columns must be zero beforehand (the caller fills dst).
 *
 *   wgInput<m>(count, t0, tw, th, h, w, c, pt, pl, x, v, eBytes)
 *   V = B^T d B for tiles t0 .. t0+count of the tile grid [b][ty < th][tx < tw] of the NHWC input x
 *   ([b][h][w][c], c a multiple of 4): tile (b, ty, tx)'s window starts at row m*ty - pt, column m*tx - pl; pixels
 *   outside [0,h) x [0,w) are zero (padding, and the window's overhang at sizes not a multiple of m). Element e of
 *   tile r's channel vector at v + e*eBytes + r*c*4: a*a matrices [count][c], the GEMMs' A.
 *
 *   wgOutput<m>(count, t0, tw, th, ho, wo, k, mm, eBytes, y)
 *   y = A^T M A for the same tiles, from M's a*a matrices [count][k] at mm + e*eBytes (the GEMMs' C) into the NHWC
 *   output y ([b][ho][wo][k], k a multiple of 4); outputs past ho or wo are not written.
 *
 * All pointers and strides are bytes into the imported memory (tfjs-backend-wasm's heap). Every output is the same
 * fixed sequence of operations, so results are bitwise reproducible.
 */
import { GEMM_NR } from './igemmWat.js';

const g = (name: string): string => `(local.get ${name})`;
const add = (a: string, b: string): string => `(f32x4.add ${a} ${b})`;
const sub = (a: string, b: string): string => `(f32x4.sub ${a} ${b})`;
const neg = (a: string): string => `(f32x4.neg ${a})`;
const mul = (c: number, a: string): string => `(f32x4.mul ${a} (v128.const f32x4 ${c} ${c} ${c} ${c}))`;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Binds an expression to a fresh v128 local (for values used more than once) and returns its `local.get`. */
type Bind = (expr: string) => string;

/** One Winograd tiling: output tile m x m, window a x a, and its three 1-D transforms (applied along rows, then columns). */
interface Tiling {
  m: number;
  /** G: 3 filter taps -> a */
  filter: (gv: string[], bind: Bind) => string[];
  /** B^T: a window values -> a */
  input: (d: string[], bind: Bind) => string[];
  /** A^T: a values -> m outputs */
  output: (mv: string[], bind: Bind) => string[];
  /** A (the filter gradient's transform of dy): m values -> a */
  dy: (y: string[], bind: Bind) => string[];
  /** G^T (the filter gradient's back to the taps): a values -> 3 */
  filterGrad: (u: string[], bind: Bind) => string[];
}

const F2: Tiling = {
  m: 2,
  filter: ([g0, g1, g2], bind) => {
    const s = bind(add(g0, g2));
    return [g0, mul(0.5, add(s, g1)), mul(0.5, sub(s, g1)), g2];
  },
  input: ([d0, d1, d2, d3]) => [sub(d0, d2), add(d1, d2), sub(d2, d1), sub(d1, d3)],
  output: ([m0, m1, m2, m3], bind) => {
    const b = bind(sub(m1, m2));
    return [add(add(m0, m1), m2), sub(b, m3)];
  },
  // A = [1 0; 1 1; 1 -1; 0 -1]
  dy: ([y0, y1]) => [y0, add(y0, y1), sub(y0, y1), neg(y1)],
  // G^T = [1 .5 .5 0; 0 .5 -.5 0; 0 .5 .5 1]
  filterGrad: ([u0, u1, u2, u3], bind) => {
    const h = bind(mul(0.5, add(u1, u2)));
    return [add(u0, h), mul(0.5, sub(u1, u2)), add(h, u3)];
  },
};

const F4: Tiling = {
  m: 4,
  // G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
  filter: ([g0, g1, g2], bind) => {
    const s = bind(add(g0, g2));
    const q = bind(add(mul(1 / 24, g0), mul(1 / 6, g2)));
    const h = bind(mul(1 / 12, g1));
    return [mul(0.25, g0), mul(-1 / 6, add(s, g1)), mul(-1 / 6, sub(s, g1)), add(q, h), sub(q, h), g2];
  },
  // B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
  input: ([d0, d1, d2, d3, d4, d5], bind) => {
    const p = bind(sub(d4, mul(4, d2)));
    const q = bind(sub(d3, mul(4, d1)));
    const r = bind(sub(d4, d2));
    const s = bind(mul(2, sub(d1, d3)));
    return [
      add(sub(mul(4, d0), mul(5, d2)), d4),
      add(p, q),
      sub(p, q),
      sub(r, s),
      add(r, s),
      add(sub(mul(4, d1), mul(5, d3)), d5),
    ];
  },
  // A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
  output: ([m0, m1, m2, m3, m4, m5], bind) => {
    const a = bind(add(m1, m2));
    const b = bind(sub(m1, m2));
    const c = bind(add(m3, m4));
    const d = bind(sub(m3, m4));
    return [add(add(m0, a), c), add(b, mul(2, d)), add(a, mul(4, c)), add(add(b, mul(8, d)), m5)];
  },
  // A = [1 0 0 0; 1 1 1 1; 1 -1 1 -1; 1 2 4 8; 1 -2 4 -8; 0 0 0 1]
  dy: ([y0, y1, y2, y3], bind) => {
    const e = bind(add(y0, y2));
    const o = bind(add(y1, y3));
    const e4 = bind(add(y0, mul(4, y2)));
    const o8 = bind(add(mul(2, y1), mul(8, y3)));
    return [y0, add(e, o), sub(e, o), add(e4, o8), sub(e4, o8), y3];
  },
  // G^T = [1/4 -1/6 -1/6 1/24 1/24 0; 0 -1/6 1/6 1/12 -1/12 0; 0 -1/6 -1/6 1/6 1/6 1]
  filterGrad: ([u0, u1, u2, u3, u4, u5], bind) => {
    const s12 = bind(add(u1, u2));
    const s34 = bind(add(u3, u4));
    return [
      add(add(mul(0.25, u0), mul(-1 / 6, s12)), mul(1 / 24, s34)),
      add(mul(-1 / 6, sub(u1, u2)), mul(1 / 12, sub(u3, u4))),
      add(add(mul(-1 / 6, s12), mul(1 / 6, s34)), u5),
    ];
  },
};

/** The tilings built, by output tile size. */
export const WINOGRAD_TILES = [2, 4] as const;
export type WinogradTile = (typeof WINOGRAD_TILES)[number];

export function winogradWat(): string {
  const funcs = [F2, F4].flatMap((t) => [filterFunc(t), inputFunc(t), outputFunc(t), dyFunc(t), filterGradFunc(t)]);
  return `(module
  (import "env" "memory" (memory 1))
  ${funcs.join('\n  ')})
`;
}

/** A function body under construction: lines, and the v128 temporaries `bind` made. */
class Body {
  readonly lines: string[] = [];
  readonly temps: string[] = [];
  emit = (s: string): void => {
    this.lines.push(s);
  };
  bind: Bind = (expr) => {
    const name = `$k${this.temps.length}`;
    this.temps.push(name);
    this.lines.push(`(local.set ${name} ${expr})`);
    return g(name);
  };
}

/** The 2-D transform: `f` along the first index for each column, then along the second for each row. */
function twoD(
  body: Body,
  rows: number,
  cols: number,
  at: (i: number, j: number) => string,
  f: (v: string[], bind: Bind) => string[],
  tmp: (i: number, j: number) => string,
): string[][] {
  let outRows = 0;
  for (const j of range(cols)) {
    const col = f(
      range(rows).map((i) => at(i, j)),
      body.bind,
    );
    outRows = col.length;
    col.forEach((val, i) => {
      body.emit(`(local.set ${tmp(i, j)} ${val})`);
    });
  }
  return range(outRows).map((i) =>
    f(
      range(cols).map((j) => g(tmp(i, j))),
      body.bind,
    ),
  );
}

function func(name: string, params: string[], i32Locals: string[], v128Locals: string[], body: Body): string {
  return `(func (export "${name}") ${params.map((p) => `(param ${p} i32)`).join(' ')}
    ${i32Locals.map((l) => `(local ${l} i32)`).join(' ')}
    ${[...v128Locals, ...body.temps].map((l) => `(local ${l} v128)`).join(' ')}
    ${body.lines.join('\n    ')})`;
}

/** wgFilter<m>: 3x3 taps gathered lane by lane (lanes past `cols` zero), G along ky then kx, a*a packed stores. */
function filterFunc(t: Tiling): string {
  const a = t.m + 2;
  const b = new Body();
  const { emit } = b;
  const tap = (ky: number, kx: number): string => `$g${ky}${kx}`;
  const mid = (i: number, kx: number): string => `$a${i}_${kx}`;
  emit(`(local.set $r (i32.const 0))`);
  emit(`(block $rdone (loop $rl`);
  emit(`(br_if $rdone (i32.ge_u ${g('$r')} ${g('$rows')}))`);
  emit(`(local.set $c0 (i32.const 0))`);
  emit(`(block $cdone (loop $cl`);
  emit(`(br_if $cdone (i32.ge_u ${g('$c0')} ${g('$cols')}))`);
  emit(
    `(local.set $p (i32.add (i32.add ${g('$src')} (i32.mul ${g('$r')} ${g('$sRow')})) (i32.mul ${g('$c0')} ${g('$sCol')})))`,
  );
  for (const ky of range(3)) {
    for (const kx of range(3)) {
      let v = '(v128.const i32x4 0 0 0 0)';
      for (const l of range(4)) {
        const at =
          `(i32.add ${g('$p')} (i32.add (i32.add (i32.mul (i32.const ${ky}) ${g('$sKy')}) ` +
          `(i32.mul (i32.const ${kx}) ${g('$sKx')})) (i32.mul (i32.const ${l}) ${g('$sCol')})))`;
        v =
          `(f32x4.replace_lane ${l} ${v} (if (result f32) (i32.lt_u (i32.add ${g('$c0')} (i32.const ${l})) ` +
          `${g('$cols')}) (then (f32.load ${at})) (else (f32.const 0))))`;
      }
      emit(`(local.set ${tap(ky, kx)} ${v})`);
    }
  }
  // packed-B position of (r, c0): panel c0 / NR, row r, lane c0 % NR
  emit(
    `(local.set $q (i32.add ${g('$dst')} (i32.add (i32.mul (i32.div_u ${g('$c0')} (i32.const ${GEMM_NR})) ` +
      `(i32.mul ${g('$rows')} (i32.const ${4 * GEMM_NR}))) (i32.add (i32.mul ${g('$r')} (i32.const ${4 * GEMM_NR})) ` +
      `(i32.shl (i32.rem_u ${g('$c0')} (i32.const ${GEMM_NR})) (i32.const 2))))))`,
  );
  const u = twoD(b, 3, 3, (ky, kx) => g(tap(ky, kx)), t.filter, mid);
  u.forEach((row, i) => {
    row.forEach((val, j) => {
      emit(`(v128.store (i32.add ${g('$q')} (i32.mul (i32.const ${a * i + j}) ${g('$eBytes')})) ${val})`);
    });
  });
  emit(`(local.set $c0 (i32.add ${g('$c0')} (i32.const 4)))`);
  emit(`(br $cl)))`);
  emit(`(local.set $r (i32.add ${g('$r')} (i32.const 1)))`);
  emit(`(br $rl)))`);
  const v128Locals = [
    ...range(3).flatMap((ky) => range(3).map((kx) => tap(ky, kx))),
    ...range(a).flatMap((i) => range(3).map((kx) => mid(i, kx))),
  ];
  return func(
    `wgFilter${t.m}`,
    ['$rows', '$cols', '$src', '$sKy', '$sKx', '$sRow', '$sCol', '$dst', '$eBytes'],
    ['$r', '$c0', '$p', '$q'],
    v128Locals,
    b,
  );
}

/** The tile grid walk shared by the input and output transforms: sets $b, $ty, $tx of tile $t0 + $r. */
function tileOf(): string {
  return `(local.set $t (i32.add ${g('$t0')} ${g('$r')}))
    (local.set $tx (i32.rem_u ${g('$t')} ${g('$tw')}))
    (local.set $t (i32.div_u ${g('$t')} ${g('$tw')}))
    (local.set $ty (i32.rem_u ${g('$t')} ${g('$th')}))
    (local.set $b (i32.div_u ${g('$t')} ${g('$th')}))`;
}

/**
 * The walk of wgOutput and wgDy over tiles t0 .. t0+count of an [b][ho][wo][k] tensor at `base` (k*4 bytes a
 * pixel): opens the loop over the tiles ($r) and sets, per tile, $q0 .. $q(m-1) to its m rows' first pixels and
 * $oy_i / $ox_j to whether its row i / column j lies inside the tensor; $kj_j and $e_e are the byte offsets of
 * column j and of matrix e (eBytes apart).
 */
function outputTileRows(emit: (s: string) => void, t: Tiling, base: string): void {
  const a = t.m + 2;
  emit(`(local.set $bytes (i32.shl ${g('$k')} (i32.const 2)))`);
  emit(`(local.set $rowBytes (i32.mul ${g('$wo')} ${g('$bytes')}))`);
  for (const j of range(t.m)) emit(`(local.set $kj${j} (i32.mul (i32.const ${j}) ${g('$bytes')}))`);
  for (const e of range(a * a)) emit(`(local.set $e${e} (i32.mul (i32.const ${e}) ${g('$eBytes')}))`);
  emit(`(local.set $r (i32.const 0))`);
  emit(`(block $rdone (loop $rl`);
  emit(`(br_if $rdone (i32.ge_u ${g('$r')} ${g('$count')}))`);
  emit(tileOf());
  emit(`(local.set $y0 (i32.mul ${g('$ty')} (i32.const ${t.m})))`);
  emit(`(local.set $x0 (i32.mul ${g('$tx')} (i32.const ${t.m})))`);
  for (const i of range(t.m)) emit(`(local.set $oy${i} (i32.lt_u (i32.add ${g('$y0')} (i32.const ${i})) ${g('$ho')}))`);
  for (const j of range(t.m)) emit(`(local.set $ox${j} (i32.lt_u (i32.add ${g('$x0')} (i32.const ${j})) ${g('$wo')}))`);
  emit(
    `(local.set $q0 (i32.add ${g(base)} (i32.mul (i32.add (i32.mul (i32.add (i32.mul ${g('$b')} ${g('$ho')}) ` +
      `${g('$y0')}) ${g('$wo')}) ${g('$x0')}) ${g('$bytes')})))`,
  );
  for (const i of range(t.m).slice(1)) emit(`(local.set $q${i} (i32.add ${g(`$q${i - 1}`)} ${g('$rowBytes')}))`);
}

/** Whether the current tile of outputTileRows lies wholly inside the tensor (its last row and column do). */
function tileInside(t: Tiling): string {
  return `(i32.and ${g(`$oy${t.m - 1}`)} ${g(`$ox${t.m - 1}`)})`;
}

/** The i32 locals outputTileRows and channelLoops use. */
function outputTileLocals(t: Tiling): string[] {
  return [
    ...['$r', '$t', '$b', '$ty', '$tx', '$y0', '$x0', '$bytes', '$rowBytes', '$co'],
    ...range(t.m).flatMap((i) => [`$q${i}`, `$oy${i}`, `$ox${i}`, `$kj${i}`]),
    ...range((t.m + 2) ** 2).map((e) => `$e${e}`),
  ];
}

/**
 * The channel loop of a transform: `fill(body, checked)` writes its body, once for tiles wholly inside (`inside`),
 * once with checks (the two bodies' temporaries are distinct locals, added to `outer`'s); $co steps through the
 * channels' bytes ($bytes), `step` advances the other pointers.
 */
function channelLoops(outer: Body, inside: string, fill: (b: Body, checked: boolean) => void, step: string): void {
  const body = (checked: boolean): string => {
    const b = new Body();
    fill(b, checked);
    const suffix = checked ? 'c' : 'f';
    outer.temps.push(...b.temps.map((n) => n.replace('$k', `$k${suffix}`)));
    return b.lines.join('\n      ').replace(/\$k(\d+)/g, (_, n) => `$k${suffix}${n}`);
  };
  const { emit } = outer;
  emit(`(local.set $co (i32.const 0))`);
  emit(`(if ${inside} (then (loop $cl`);
  emit(body(false));
  emit(`(local.set $co (i32.add ${g('$co')} (i32.const 16))) ${step}`);
  emit(`(br_if $cl (i32.lt_u ${g('$co')} ${g('$bytes')})))) (else (loop $cl2`);
  emit(body(true));
  emit(`(local.set $co (i32.add ${g('$co')} (i32.const 16))) ${step}`);
  emit(`(br_if $cl2 (i32.lt_u ${g('$co')} ${g('$bytes')})))))`);
}

/** wgInput<m>: per tile, per channel vector: the a x a window (zeros outside the image), B^T both ways, a*a stores. */
function inputFunc(t: Tiling): string {
  const a = t.m + 2;
  const outer = new Body();
  const { emit } = outer;
  const d = (i: number, j: number): string => `$d${i}_${j}`;
  const mid = (i: number, j: number): string => `$u${i}_${j}`;
  // the window's element (i, j): row pointer $p_i + j*c*4, plus the channel offset
  const at = (i: number, j: number): string => `(i32.add (i32.add ${g(`$p${i}`)} ${g('$co')}) ${g(`$cj${j}`)})`;
  const body = (b: Body, checked: boolean): void => {
    for (const i of range(a)) {
      for (const j of range(a)) {
        const load = `(v128.load ${at(i, j)})`;
        const v = checked
          ? `(if (result v128) (i32.and ${g(`$ry${i}`)} ${g(`$rx${j}`)}) (then ${load}) (else (v128.const i32x4 0 0 0 0)))`
          : load;
        b.emit(`(local.set ${d(i, j)} ${v})`);
      }
    }
    const v = twoD(b, a, a, (i, j) => g(d(i, j)), t.input, mid);
    v.forEach((row, i) => {
      row.forEach((val, j) => {
        b.emit(`(v128.store (i32.add ${g('$vq')} ${g(`$e${a * i + j}`)}) ${val})`);
      });
    });
  };
  emit(`(local.set $bytes (i32.shl ${g('$c')} (i32.const 2)))`);
  emit(`(local.set $rowBytes (i32.mul ${g('$w')} ${g('$bytes')}))`);
  for (const j of range(a)) emit(`(local.set $cj${j} (i32.mul (i32.const ${j}) ${g('$bytes')}))`);
  for (const e of range(a * a)) emit(`(local.set $e${e} (i32.mul (i32.const ${e}) ${g('$eBytes')}))`);
  emit(`(local.set $r (i32.const 0))`);
  emit(`(block $rdone (loop $rl`);
  emit(`(br_if $rdone (i32.ge_u ${g('$r')} ${g('$count')}))`);
  emit(tileOf());
  emit(`(local.set $y0 (i32.sub (i32.mul ${g('$ty')} (i32.const ${t.m})) ${g('$pt')}))`);
  emit(`(local.set $x0 (i32.sub (i32.mul ${g('$tx')} (i32.const ${t.m})) ${g('$pl')}))`);
  // which window rows/columns lie inside the image (unsigned compare: negative indices are outside)
  for (const i of range(a)) emit(`(local.set $ry${i} (i32.lt_u (i32.add ${g('$y0')} (i32.const ${i})) ${g('$h')}))`);
  for (const j of range(a)) emit(`(local.set $rx${j} (i32.lt_u (i32.add ${g('$x0')} (i32.const ${j})) ${g('$w')}))`);
  // row pointers (only dereferenced where inside)
  emit(
    `(local.set $p0 (i32.add ${g('$x')} (i32.mul (i32.add (i32.mul (i32.add (i32.mul ${g('$b')} ${g('$h')}) ` +
      `${g('$y0')}) ${g('$w')}) ${g('$x0')}) ${g('$bytes')})))`,
  );
  for (const i of range(a).slice(1)) emit(`(local.set $p${i} (i32.add ${g(`$p${i - 1}`)} ${g('$rowBytes')}))`);
  emit(`(local.set $vq (i32.add ${g('$v')} (i32.mul ${g('$r')} ${g('$bytes')})))`);
  const inside = `(i32.and (i32.and ${g('$ry0')} ${g(`$ry${a - 1}`)}) (i32.and ${g('$rx0')} ${g(`$rx${a - 1}`)}))`;
  channelLoops(outer, inside, body, `(local.set $vq (i32.add ${g('$vq')} (i32.const 16)))`);
  emit(`(local.set $r (i32.add ${g('$r')} (i32.const 1)))`);
  emit(`(br $rl)))`);
  const i32Locals = [
    ...['$r', '$t', '$b', '$ty', '$tx', '$y0', '$x0', '$bytes', '$rowBytes', '$co', '$vq'],
    ...range(a).flatMap((i) => [`$p${i}`, `$ry${i}`, `$rx${i}`, `$cj${i}`]),
    ...range(a * a).map((e) => `$e${e}`),
  ];
  const v128Locals = range(a).flatMap((i) => range(a).flatMap((j) => [d(i, j), mid(i, j)]));
  return func(
    `wgInput${t.m}`,
    ['$count', '$t0', '$tw', '$th', '$h', '$w', '$c', '$pt', '$pl', '$x', '$v', '$eBytes'],
    i32Locals,
    v128Locals,
    outer,
  );
}

/** wgOutput<m>: per tile, per channel vector: a*a loads of M, A^T both ways, m*m stores (those inside the output). */
function outputFunc(t: Tiling): string {
  const a = t.m + 2;
  const outer = new Body();
  const { emit } = outer;
  const mv = (i: number, j: number): string => `$m${i}_${j}`;
  const mid = (i: number, j: number): string => `$u${i}_${j}`;
  const body = (b: Body, checked: boolean): void => {
    for (const i of range(a)) {
      for (const j of range(a)) {
        b.emit(`(local.set ${mv(i, j)} (v128.load (i32.add ${g('$mq')} ${g(`$e${a * i + j}`)})))`);
      }
    }
    const y = twoD(b, a, a, (i, j) => g(mv(i, j)), t.output, mid);
    y.forEach((row, i) => {
      row.forEach((val, j) => {
        const store = `(v128.store (i32.add (i32.add ${g(`$q${i}`)} ${g('$co')}) ${g(`$kj${j}`)}) ${val})`;
        b.emit(checked ? `(if (i32.and ${g(`$oy${i}`)} ${g(`$ox${j}`)}) (then ${store}))` : store);
      });
    });
  };
  outputTileRows(emit, t, '$y');
  emit(`(local.set $mq (i32.add ${g('$mm')} (i32.mul ${g('$r')} ${g('$bytes')})))`);
  channelLoops(outer, tileInside(t), body, `(local.set $mq (i32.add ${g('$mq')} (i32.const 16)))`);
  emit(`(local.set $r (i32.add ${g('$r')} (i32.const 1)))`);
  emit(`(br $rl)))`);
  const i32Locals = [...outputTileLocals(t), '$mq'];
  const v128Locals = range(a).flatMap((i) => range(a).flatMap((j) => [mv(i, j), mid(i, j)]));
  return func(
    `wgOutput${t.m}`,
    ['$count', '$t0', '$tw', '$th', '$ho', '$wo', '$k', '$mm', '$eBytes', '$y'],
    i32Locals,
    v128Locals,
    outer,
  );
}

/**
 * wgDy<m>(count, t0, tw, th, ho, wo, k, dy, z, eBytes, panelBytes): for the filter gradient, Z = A dY A^T of the
 * m x m tiles of dy ([b][ho][wo][k], zero past ho or wo) of tiles t0 .. t0+count, written as igemm's packed B
 * (the tiles its k, the channels its columns): element e of tile r, channels k0 .. k0+3 at
 * z + e*eBytes + (k0 / NR)*panelBytes + r*NR*4 + (k0 % NR)*4, panelBytes = count*NR*4.
 */
function dyFunc(t: Tiling): string {
  const a = t.m + 2;
  const outer = new Body();
  const { emit } = outer;
  const yv = (i: number, j: number): string => `$y${i}_${j}`;
  const mid = (i: number, j: number): string => `$u${i}_${j}`;
  const body = (b: Body, checked: boolean): void => {
    for (const i of range(t.m)) {
      for (const j of range(t.m)) {
        const load = `(v128.load (i32.add (i32.add ${g(`$q${i}`)} ${g('$co')}) ${g(`$kj${j}`)}))`;
        const v = checked
          ? `(if (result v128) (i32.and ${g(`$oy${i}`)} ${g(`$ox${j}`)}) (then ${load}) (else (v128.const i32x4 0 0 0 0)))`
          : load;
        b.emit(`(local.set ${yv(i, j)} ${v})`);
      }
    }
    const z = twoD(b, t.m, t.m, (i, j) => g(yv(i, j)), t.dy, mid);
    z.forEach((row, i) => {
      row.forEach((val, j) => {
        b.emit(`(v128.store (i32.add ${g('$zq')} ${g(`$e${a * i + j}`)}) ${val})`);
      });
    });
  };
  outputTileRows(emit, t, '$dy');
  emit(`(local.set $zq (i32.add ${g('$z')} (i32.mul ${g('$r')} (i32.const ${4 * GEMM_NR}))))`);
  // the next channel vector ($co has already advanced): 16 bytes on within a panel, else the next panel
  const step =
    `(local.set $zq (i32.add ${g('$zq')} (select (i32.sub ${g('$panelBytes')} (i32.const ${4 * GEMM_NR - 16})) ` +
    `(i32.const 16) (i32.eq (i32.and ${g('$co')} (i32.const ${4 * GEMM_NR - 1})) (i32.const 0)))))`;
  channelLoops(outer, tileInside(t), body, step);
  emit(`(local.set $r (i32.add ${g('$r')} (i32.const 1)))`);
  emit(`(br $rl)))`);
  const i32Locals = [...outputTileLocals(t), '$zq'];
  const v128Locals = [
    ...range(t.m).flatMap((i) => range(t.m).map((j) => yv(i, j))),
    ...range(a).flatMap((i) => range(t.m).map((j) => mid(i, j))),
  ];
  return func(
    `wgDy${t.m}`,
    ['$count', '$t0', '$tw', '$th', '$ho', '$wo', '$k', '$dy', '$z', '$eBytes', '$panelBytes'],
    i32Locals,
    v128Locals,
    outer,
  );
}

/**
 * wgFilterGrad<m>(c, k, du, eBytes, dw): dW = G^T dU G for every (c, k) pair: dU's a*a matrices [c][k] at
 * du + e*eBytes (the filter gradient's GEMMs' C) into dW [3][3][c][k] (k a multiple of 4).
 */
function filterGradFunc(t: Tiling): string {
  const a = t.m + 2;
  const b = new Body();
  const { emit } = b;
  const uv = (i: number, j: number): string => `$m${i}_${j}`;
  const mid = (i: number, j: number): string => `$u${i}_${j}`;
  emit(`(local.set $bytes (i32.shl ${g('$k')} (i32.const 2)))`);
  emit(`(local.set $tapBytes (i32.mul ${g('$c')} ${g('$bytes')}))`);
  emit(`(local.set $cc (i32.const 0))`);
  emit(`(block $cdone (loop $cl`);
  emit(`(br_if $cdone (i32.ge_u ${g('$cc')} ${g('$c')}))`);
  emit(`(local.set $co (i32.const 0))`);
  emit(`(block $kdone (loop $kl`);
  emit(`(br_if $kdone (i32.ge_u ${g('$co')} ${g('$bytes')}))`);
  emit(`(local.set $src (i32.add (i32.add ${g('$du')} (i32.mul ${g('$cc')} ${g('$bytes')})) ${g('$co')}))`);
  emit(`(local.set $dst (i32.add (i32.add ${g('$dw')} (i32.mul ${g('$cc')} ${g('$bytes')})) ${g('$co')}))`);
  for (const i of range(a)) {
    for (const j of range(a)) {
      emit(
        `(local.set ${uv(i, j)} (v128.load (i32.add ${g('$src')} (i32.mul (i32.const ${a * i + j}) ${g('$eBytes')}))))`,
      );
    }
  }
  const dw = twoD(b, a, a, (i, j) => g(uv(i, j)), t.filterGrad, mid);
  dw.forEach((row, ky) => {
    row.forEach((val, kx) => {
      emit(`(v128.store (i32.add ${g('$dst')} (i32.mul (i32.const ${3 * ky + kx}) ${g('$tapBytes')})) ${val})`);
    });
  });
  emit(`(local.set $co (i32.add ${g('$co')} (i32.const 16)))`);
  emit(`(br $kl)))`);
  emit(`(local.set $cc (i32.add ${g('$cc')} (i32.const 1)))`);
  emit(`(br $cl)))`);
  const v128Locals = [
    ...range(a).flatMap((i) => range(a).map((j) => uv(i, j))),
    ...range(3).flatMap((i) => range(a).map((j) => mid(i, j))),
  ];
  return func(
    `wgFilterGrad${t.m}`,
    ['$c', '$k', '$du', '$eBytes', '$dw'],
    ['$bytes', '$tapBytes', '$cc', '$co', '$src', '$dst'],
    v128Locals,
    b,
  );
}
