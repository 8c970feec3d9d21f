/**
 * WAT of the Winograd F(2x2,3x3) transforms (Lavin & Gray 2016; the tiling NNPACK and XNNPACK use) for 3x3
 * stride-1 convolutions in NHWC, in wasm SIMD128 vectorized over channels (a tile element is a contiguous channel
 * vector). The 16 GEMMs between them run on the project's igemm (conv2DWinograd.ts).
 *
 *   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]
 *   A^T = [1 1 1 0; 0 1 -1 -1]
 *   y(2x2 tile) = A^T [ (G g G^T) .* (B^T d B) ] A, d the tile's 4x4 input window (stride 2 between tiles).
 *
 *   wgFilter(rows, cols, src, sKy, sKx, sRow, sCol, dst, eBytes)
 *   U = G g G^T for every (row, col) of a 3x3 filter whose tap (ky, kx) of (row, col) lies at
 *   src + ky*sKy + kx*sKx + row*sRow + col*sCol (any strides, negative too: the input gradient reads the filter
 *   rotated and transposed), written straight into igemm's packed-B layout (panels of GEMM_NR columns): element
 *   e = 4i + j of the 4x4 U at dst + e*eBytes + (col / NR)*rows*NR*4 + row*NR*4 + (col % NR)*4. The panels'
 *   padding columns must be zero beforehand (the caller fills dst).
 *
 *   wgInput(count, t0, tw, th, h, w, c, pt, pl, x, v, eBytes)
 *   V = B^T d B for tiles t0 .. t0+count of the tile grid [b][ty < th][tx < tw] of the NHWC input x
 *   ([b][h][w][c], c a multiple of 4): tile (b, ty, tx)'s window starts at row 2ty - pt, column 2tx - pl; pixels
 *   outside [0,h) x [0,w) are zero (padding, and the window's overhang at odd output sizes). Element e of tile r's
 *   channel vector at v + e*eBytes + r*c*4: 16 matrices [count][c], the GEMMs' A.
 *
 *   wgOutput(count, t0, tw, th, ho, wo, k, m, eBytes, y)
 *   y = A^T M A for the same tiles, from M's 16 matrices [count][k] at m + e*eBytes (the GEMMs' C) into the NHWC
 *   output y ([b][ho][wo][k], k a multiple of 4); outputs past ho or wo (odd sizes) are not written.
 *
 * All pointers and strides are bytes into the imported memory (tfjs-backend-wasm's heap). Every output is the same
 * fixed sequence of adds, so results are bitwise reproducible.
 */
import { GEMM_NR } from './igemmWat.js';

const g = (name: string): string => `(local.get ${name})`;
const add = (a: string, b: string): string => `(f32x4.add ${a} ${b})`;
const sub = (a: string, b: string): string => `(f32x4.sub ${a} ${b})`;
const half = (a: string): string => `(f32x4.mul ${a} (v128.const f32x4 0.5 0.5 0.5 0.5))`;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export function winogradWat(): string {
  return `(module
  (import "env" "memory" (memory 1))
  ${filterFunc()}
  ${inputFunc()}
  ${outputFunc()})
`;
}

/** wgFilter: 3 taps -> 4 (G's rows) along kx, then along ky; lanes past `cols` are zero. */
function filterFunc(): string {
  const lines: string[] = [];
  const emit = (s: string): void => {
    lines.push(s);
  };
  const tap = (ky: number, kx: number): string => `$g${ky}${kx}`;
  const mid = (ky: number, j: number): string => `$a${ky}${j}`;
  emit(`(local.set $r (i32.const 0))`);
  emit(`(block $rdone (loop $rl`);
  emit(`(br_if $rdone (i32.ge_u ${g('$r')} ${g('$rows')}))`);
  emit(`(local.set $c0 (i32.const 0))`);
  emit(`(block $cdone (loop $cl`);
  emit(`(br_if $cdone (i32.ge_u ${g('$c0')} ${g('$cols')}))`);
  emit(`(local.set $p (i32.add (i32.add ${g('$src')} (i32.mul ${g('$r')} ${g('$sRow')})) (i32.mul ${g('$c0')} ${g('$sCol')})))`);
  for (const ky of range(3)) {
    for (const kx of range(3)) {
      // 4 columns gathered lane by lane (the filter's columns need not be contiguous)
      let v = '(v128.const i32x4 0 0 0 0)';
      for (const l of range(4)) {
        const at = `(i32.add ${g('$p')} (i32.add (i32.add (i32.mul (i32.const ${ky}) ${g('$sKy')}) (i32.mul (i32.const ${kx}) ${g('$sKx')})) (i32.mul (i32.const ${l}) ${g('$sCol')})))`;
        v = `(f32x4.replace_lane ${l} ${v} (if (result f32) (i32.lt_u (i32.add ${g('$c0')} (i32.const ${l})) ${g('$cols')}) (then (f32.load ${at})) (else (f32.const 0))))`;
      }
      emit(`(local.set ${tap(ky, kx)} ${v})`);
    }
  }
  // G along kx: [g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2]
  for (const ky of range(3)) {
    const [g0, g1, g2] = range(3).map((kx) => g(tap(ky, kx)));
    emit(`(local.set $s ${add(g0, g2)})`);
    emit(`(local.set ${mid(ky, 0)} ${g0})`);
    emit(`(local.set ${mid(ky, 1)} ${half(add(g('$s'), g1))})`);
    emit(`(local.set ${mid(ky, 2)} ${half(sub(g('$s'), g1))})`);
    emit(`(local.set ${mid(ky, 3)} ${g2})`);
  }
  // packed-B position of (r, c0): panel c0 / NR, row r, lane c0 % NR
  emit(
    `(local.set $q (i32.add ${g('$dst')} (i32.add (i32.mul (i32.div_u ${g('$c0')} (i32.const ${GEMM_NR})) ` +
      `(i32.mul ${g('$rows')} (i32.const ${4 * GEMM_NR}))) (i32.add (i32.mul ${g('$r')} (i32.const ${4 * GEMM_NR})) ` +
      `(i32.shl (i32.rem_u ${g('$c0')} (i32.const ${GEMM_NR})) (i32.const 2))))))`,
  );
  // G along ky, stored as e = 4i + j
  for (const j of range(4)) {
    const [a0, a1, a2] = range(3).map((ky) => g(mid(ky, j)));
    const u = [a0, half(add(add(a0, a2), a1)), half(sub(add(a0, a2), a1)), a2];
    u.forEach((val, i) => {
      emit(`(v128.store (i32.add ${g('$q')} (i32.mul (i32.const ${4 * i + j}) ${g('$eBytes')})) ${val})`);
    });
  }
  emit(`(local.set $c0 (i32.add ${g('$c0')} (i32.const 4)))`);
  emit(`(br $cl)))`);
  emit(`(local.set $r (i32.add ${g('$r')} (i32.const 1)))`);
  emit(`(br $rl)))`);
  const v128Locals = [
    '$s',
    ...range(3).flatMap((ky) => range(3).map((kx) => tap(ky, kx))),
    ...range(3).flatMap((ky) => range(4).map((j) => mid(ky, j))),
  ];
  return `(func (export "wgFilter") (param $rows i32) (param $cols i32) (param $src i32) (param $sKy i32)
    (param $sKx i32) (param $sRow i32) (param $sCol i32) (param $dst i32) (param $eBytes i32)
    (local $r i32) (local $c0 i32) (local $p i32) (local $q i32)
    ${v128Locals.map((l) => `(local ${l} v128)`).join(' ')}
    ${lines.join('\n    ')})`;
}

/** The tile grid walk shared by wgInput and wgOutput: sets $b, $ty, $tx of tile $t0 + $r. */
function tileOf(): string {
  return `(local.set $t (i32.add ${g('$t0')} ${g('$r')}))
      (local.set $tx (i32.rem_u ${g('$t')} ${g('$tw')}))
      (local.set $t (i32.div_u ${g('$t')} ${g('$tw')}))
      (local.set $ty (i32.rem_u ${g('$t')} ${g('$th')}))
      (local.set $b (i32.div_u ${g('$t')} ${g('$th')}))`;
}

/** B^T applied to 4 values: [d0 - d2, d1 + d2, d2 - d1, d1 - d3]. */
function bt(d: string[]): string[] {
  return [sub(d[0], d[2]), add(d[1], d[2]), sub(d[2], d[1]), sub(d[1], d[3])];
}

/** wgInput: per tile, per channel vector: the 4x4 window (rows then columns through B^T), 16 stores. */
function inputFunc(): string {
  const lines: string[] = [];
  const emit = (s: string): void => {
    lines.push(s);
  };
  const d = (i: number, j: number): string => `$d${i}${j}`;
  const rowT = (i: number, j: number): string => `$u${i}${j}`;
  // the window's element (i, j) at row pointer $p_i + j*c*4 (+ the channel offset $co)
  const at = (i: number, j: number): string =>
    `(i32.add (i32.add ${g(`$p${i}`)} ${g('$co')}) ${j === 0 ? '(i32.const 0)' : g(`$cj${j}`)})`;
  const body = (checked: boolean): string[] => {
    const out: string[] = [];
    for (const i of range(4)) {
      for (const j of range(4)) {
        const load = `(v128.load ${at(i, j)})`;
        const v = checked
          ? `(if (result v128) (i32.and ${g(`$ry${i}`)} ${g(`$rx${j}`)}) (then ${load}) (else (v128.const i32x4 0 0 0 0)))`
          : load;
        out.push(`(local.set ${d(i, j)} ${v})`);
      }
    }
    // B^T along rows (i) for each column j, then along columns for each row
    for (const j of range(4)) {
      bt(range(4).map((i) => g(d(i, j)))).forEach((val, i) => {
        out.push(`(local.set ${rowT(i, j)} ${val})`);
      });
    }
    for (const i of range(4)) {
      bt(range(4).map((j) => g(rowT(i, j)))).forEach((val, j) => {
        out.push(`(v128.store (i32.add ${g('$vq')} ${g(`$e${4 * i + j}`)}) ${val})`);
      });
    }
    return out;
  };
  emit(`(local.set $cBytes (i32.shl ${g('$c')} (i32.const 2)))`);
  emit(`(local.set $rowBytes (i32.mul ${g('$w')} ${g('$cBytes')}))`);
  for (const j of [1, 2, 3]) emit(`(local.set $cj${j} (i32.mul (i32.const ${j}) ${g('$cBytes')}))`);
  for (const e of range(16)) emit(`(local.set $e${e} (i32.mul (i32.const ${e}) ${g('$eBytes')}))`);
  emit(`(local.set $r (i32.const 0))`);
  emit(`(block $rdone (loop $rl`);
  emit(`(br_if $rdone (i32.ge_u ${g('$r')} ${g('$count')}))`);
  emit(tileOf());
  emit(`(local.set $y0 (i32.sub (i32.shl ${g('$ty')} (i32.const 1)) ${g('$pt')}))`);
  emit(`(local.set $x0 (i32.sub (i32.shl ${g('$tx')} (i32.const 1)) ${g('$pl')}))`);
  // which window rows/columns lie inside the image (unsigned compare: negative indices are outside)
  for (const i of range(4)) emit(`(local.set $ry${i} (i32.lt_u (i32.add ${g('$y0')} (i32.const ${i})) ${g('$h')}))`);
  for (const j of range(4)) emit(`(local.set $rx${j} (i32.lt_u (i32.add ${g('$x0')} (i32.const ${j})) ${g('$w')}))`);
  emit(
    `(local.set $inside (i32.and (i32.and ${g('$ry0')} ${g('$ry3')}) (i32.and ${g('$rx0')} ${g('$rx3')})))`,
  );
  // row pointers (only dereferenced where inside)
  emit(
    `(local.set $p0 (i32.add ${g('$x')} (i32.mul (i32.add (i32.mul (i32.add (i32.mul ${g('$b')} ${g('$h')}) ${g('$y0')}) ${g('$w')}) ${g('$x0')}) ${g('$cBytes')})))`,
  );
  for (const i of [1, 2, 3]) emit(`(local.set $p${i} (i32.add ${g(`$p${i - 1}`)} ${g('$rowBytes')}))`);
  emit(`(local.set $vq (i32.add ${g('$v')} (i32.mul ${g('$r')} ${g('$cBytes')})))`);
  emit(`(local.set $co (i32.const 0))`);
  emit(`(if ${g('$inside')} (then`);
  emit(`(loop $cl`);
  emit(body(false).join('\n      '));
  emit(`(local.set $co (i32.add ${g('$co')} (i32.const 16)))`);
  emit(`(local.set $vq (i32.add ${g('$vq')} (i32.const 16)))`);
  emit(`(br_if $cl (i32.lt_u ${g('$co')} ${g('$cBytes')})))`);
  emit(`) (else`);
  emit(`(loop $cl2`);
  emit(body(true).join('\n      '));
  emit(`(local.set $co (i32.add ${g('$co')} (i32.const 16)))`);
  emit(`(local.set $vq (i32.add ${g('$vq')} (i32.const 16)))`);
  emit(`(br_if $cl2 (i32.lt_u ${g('$co')} ${g('$cBytes')})))))`);
  emit(`(local.set $r (i32.add ${g('$r')} (i32.const 1)))`);
  emit(`(br $rl)))`);
  const i32Locals = [
    '$r',
    '$t',
    '$b',
    '$ty',
    '$tx',
    '$y0',
    '$x0',
    '$inside',
    '$cBytes',
    '$rowBytes',
    '$co',
    '$vq',
    ...range(4).map((i) => `$p${i}`),
    ...range(4).map((i) => `$ry${i}`),
    ...range(4).map((j) => `$rx${j}`),
    ...[1, 2, 3].map((j) => `$cj${j}`),
    ...range(16).map((e) => `$e${e}`),
  ];
  const v128Locals = range(4).flatMap((i) => range(4).flatMap((j) => [d(i, j), rowT(i, j)]));
  const params = ['$count', '$t0', '$tw', '$th', '$h', '$w', '$c', '$pt', '$pl', '$x', '$v', '$eBytes'];
  return `(func (export "wgInput") ${params.map((p) => `(param ${p} i32)`).join(' ')}
    ${i32Locals.map((l) => `(local ${l} i32)`).join(' ')}
    ${v128Locals.map((l) => `(local ${l} v128)`).join(' ')}
    ${lines.join('\n    ')})`;
}

/** A^T applied to 4 values: [m0 + m1 + m2, m1 - m2 - m3]. */
function at2(m: string[]): string[] {
  return [add(add(m[0], m[1]), m[2]), sub(sub(m[1], m[2]), m[3])];
}

/** wgOutput: per tile, per channel vector: 16 loads of M, A^T along rows then columns, up to 4 stores. */
function outputFunc(): string {
  const lines: string[] = [];
  const emit = (s: string): void => {
    lines.push(s);
  };
  const mv = (i: number, j: number): string => `$m${i}${j}`;
  const rowT = (i: number, j: number): string => `$u${i}${j}`;
  const outAt = (i: number, j: number): string =>
    `(i32.add (i32.add ${g(`$q${i}`)} ${g('$co')}) ${j === 0 ? '(i32.const 0)' : g('$kBytes')})`;
  const body = (checked: boolean): string[] => {
    const out: string[] = [];
    for (const i of range(4)) {
      for (const j of range(4)) out.push(`(local.set ${mv(i, j)} (v128.load (i32.add ${g('$mq')} ${g(`$e${4 * i + j}`)})))`);
    }
    for (const j of range(4)) {
      at2(range(4).map((i) => g(mv(i, j)))).forEach((val, i) => {
        out.push(`(local.set ${rowT(i, j)} ${val})`);
      });
    }
    for (const i of range(2)) {
      at2(range(4).map((j) => g(rowT(i, j)))).forEach((val, j) => {
        const store = `(v128.store ${outAt(i, j)} ${val})`;
        out.push(checked ? `(if (i32.and ${g(`$oy${i}`)} ${g(`$ox${j}`)}) (then ${store}))` : store);
      });
    }
    return out;
  };
  emit(`(local.set $kBytes (i32.shl ${g('$k')} (i32.const 2)))`);
  emit(`(local.set $rowBytes (i32.mul ${g('$wo')} ${g('$kBytes')}))`);
  for (const e of range(16)) emit(`(local.set $e${e} (i32.mul (i32.const ${e}) ${g('$eBytes')}))`);
  emit(`(local.set $r (i32.const 0))`);
  emit(`(block $rdone (loop $rl`);
  emit(`(br_if $rdone (i32.ge_u ${g('$r')} ${g('$count')}))`);
  emit(tileOf());
  emit(`(local.set $y0 (i32.shl ${g('$ty')} (i32.const 1)))`);
  emit(`(local.set $x0 (i32.shl ${g('$tx')} (i32.const 1)))`);
  emit(`(local.set $oy0 (i32.const 1)) (local.set $ox0 (i32.const 1))`);
  emit(`(local.set $oy1 (i32.lt_u (i32.add ${g('$y0')} (i32.const 1)) ${g('$ho')}))`);
  emit(`(local.set $ox1 (i32.lt_u (i32.add ${g('$x0')} (i32.const 1)) ${g('$wo')}))`);
  emit(
    `(local.set $q0 (i32.add ${g('$y')} (i32.mul (i32.add (i32.mul (i32.add (i32.mul ${g('$b')} ${g('$ho')}) ${g('$y0')}) ${g('$wo')}) ${g('$x0')}) ${g('$kBytes')})))`,
  );
  emit(`(local.set $q1 (i32.add ${g('$q0')} ${g('$rowBytes')}))`);
  emit(`(local.set $mq (i32.add ${g('$m')} (i32.mul ${g('$r')} ${g('$kBytes')})))`);
  emit(`(local.set $co (i32.const 0))`);
  emit(`(if (i32.and ${g('$oy1')} ${g('$ox1')}) (then`);
  emit(`(loop $cl`);
  emit(body(false).join('\n      '));
  emit(`(local.set $co (i32.add ${g('$co')} (i32.const 16)))`);
  emit(`(local.set $mq (i32.add ${g('$mq')} (i32.const 16)))`);
  emit(`(br_if $cl (i32.lt_u ${g('$co')} ${g('$kBytes')})))`);
  emit(`) (else`);
  emit(`(loop $cl2`);
  emit(body(true).join('\n      '));
  emit(`(local.set $co (i32.add ${g('$co')} (i32.const 16)))`);
  emit(`(local.set $mq (i32.add ${g('$mq')} (i32.const 16)))`);
  emit(`(br_if $cl2 (i32.lt_u ${g('$co')} ${g('$kBytes')})))))`);
  emit(`(local.set $r (i32.add ${g('$r')} (i32.const 1)))`);
  emit(`(br $rl)))`);
  const i32Locals = [
    '$r',
    '$t',
    '$b',
    '$ty',
    '$tx',
    '$y0',
    '$x0',
    '$kBytes',
    '$rowBytes',
    '$co',
    '$mq',
    '$q0',
    '$q1',
    '$oy0',
    '$oy1',
    '$ox0',
    '$ox1',
    ...range(16).map((e) => `$e${e}`),
  ];
  const v128Locals = range(4).flatMap((i) => range(4).flatMap((j) => [mv(i, j), rowT(i, j)]));
  const params = ['$count', '$t0', '$tw', '$th', '$ho', '$wo', '$k', '$m', '$eBytes', '$y'];
  return `(func (export "wgOutput") ${params.map((p) => `(param ${p} i32)`).join(' ')}
    ${i32Locals.map((l) => `(local ${l} i32)`).join(' ')}
    ${v128Locals.map((l) => `(local ${l} v128)`).join(' ')}
    ${lines.join('\n    ')})`;
}
