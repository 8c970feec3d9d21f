/**
 * WAT of `convTable`, which writes a convolution's indirection tables for the igemm kernels (igemmWat.ts) in wasm:
 * JavaScript took 0.1-0.15 of the igemm time at 28x28 32->32 writing the ~1M pointers of a batch-128 forward.
 *
 *   convTable(count, r0, gw, gh, taps, tapY, tapX, sy, sx, inH, inW,
 *             aBase, aImg, aRow, aPix, zero, aOut, cBase, cImg, cRow, cPix, cOut)
 *   walks `count` GEMM rows over a grid [b][y < gh][x < gw] from its row r0 (counted in that order); for each
 *   writes at aOut its taps'
 *   pointers (taps i32s): input pixel (iy, ix) = (y*sy + tapY[t], x*sx + tapX[t]) at
 *   aBase + b*aImg + iy*aRow + ix*aPix, or `zero` outside [0, inH) x [0, inW); and at cOut its output pointer
 *   cBase + b*cImg + y*cRow + x*cPix.
 * tapY and tapX point at i32 arrays of taps entries; all pointers and strides are bytes into the heap.
 * Conv2D's grid is its output (s = stride, tap shift = k*dilation - pad); Conv2DBackpropInput's is one stride
 * phase of dx (s = 1, tap shift = the dy offset of the tap, C strided by the phase).
 */
export function convTableFunc(): string {
  const g = (name: string): string => `(local.get ${name})`;
  const params = [
    '$count',
    '$r0',
    '$gw',
    '$gh',
    '$taps',
    '$tapY',
    '$tapX',
    '$sy',
    '$sx',
    '$inH',
    '$inW',
    '$aBase',
    '$aImg',
    '$aRow',
    '$aPix',
    '$zero',
    '$aOut',
    '$cBase',
    '$cImg',
    '$cRow',
    '$cPix',
    '$cOut',
  ];
  return `(func (export "convTable") ${params.map((p) => `(param ${p} i32)`).join(' ')}
    (local $r i32) (local $t i32) (local $iy0 i32) (local $ix0 i32) (local $img i32) (local $iy i32) (local $ix i32)
    (local $x i32) (local $y i32) (local $b i32)
    (local.set $x (i32.rem_u ${g('$r0')} ${g('$gw')}))
    (local.set $y (i32.rem_u (i32.div_u ${g('$r0')} ${g('$gw')}) ${g('$gh')}))
    (local.set $b (i32.div_u ${g('$r0')} (i32.mul ${g('$gw')} ${g('$gh')})))
    (local.set $r (i32.const 0))
    (block $rdone (loop $rl
      (br_if $rdone (i32.ge_u ${g('$r')} ${g('$count')}))
      (local.set $iy0 (i32.mul ${g('$y')} ${g('$sy')}))
      (local.set $ix0 (i32.mul ${g('$x')} ${g('$sx')}))
      (local.set $img (i32.add ${g('$aBase')} (i32.mul ${g('$b')} ${g('$aImg')})))
      (local.set $t (i32.const 0))
      (block $tdone (loop $tl
        (br_if $tdone (i32.ge_u ${g('$t')} ${g('$taps')}))
        (local.set $iy (i32.add ${g('$iy0')} (i32.load (i32.add ${g('$tapY')} (i32.shl ${g('$t')} (i32.const 2))))))
        (local.set $ix (i32.add ${g('$ix0')} (i32.load (i32.add ${g('$tapX')} (i32.shl ${g('$t')} (i32.const 2))))))
        (i32.store ${g('$aOut')}
          (select
            (i32.add ${g('$img')} (i32.add (i32.mul ${g('$iy')} ${g('$aRow')}) (i32.mul ${g('$ix')} ${g('$aPix')})))
            ${g('$zero')}
            (i32.and (i32.lt_u ${g('$iy')} ${g('$inH')}) (i32.lt_u ${g('$ix')} ${g('$inW')}))))
        (local.set $aOut (i32.add ${g('$aOut')} (i32.const 4)))
        (local.set $t (i32.add ${g('$t')} (i32.const 1)))
        (br $tl)))
      (i32.store ${g('$cOut')}
        (i32.add ${g('$cBase')} (i32.add (i32.mul ${g('$b')} ${g('$cImg')})
          (i32.add (i32.mul ${g('$y')} ${g('$cRow')}) (i32.mul ${g('$x')} ${g('$cPix')})))))
      (local.set $cOut (i32.add ${g('$cOut')} (i32.const 4)))
      (local.set $x (i32.add ${g('$x')} (i32.const 1)))
      (if (i32.eq ${g('$x')} ${g('$gw')}) (then
        (local.set $x (i32.const 0))
        (local.set $y (i32.add ${g('$y')} (i32.const 1)))
        (if (i32.eq ${g('$y')} ${g('$gh')}) (then
          (local.set $y (i32.const 0))
          (local.set $b (i32.add ${g('$b')} (i32.const 1)))))))
      (local.set $r (i32.add ${g('$r')} (i32.const 1)))
      (br $rl)))
  )`;
}
