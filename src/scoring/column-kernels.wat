;; The per-value loops a worker runs over parsed columns after the parse
;; (column-kernels.ts): the input profile's sums and the float32 tensor's
;; fill. In JavaScript each value costs a bounds and a type check on two
;; typed arrays, and the profile's sums form one chain of dependent adds
;; with a branch per value; here the loads are plain and the profile takes
;; two values per instruction without a branch. Built into
;; column-kernels-wasm.ts by scripts/build-wasm.ts.
(module
  (memory (export "memory") 1)

  ;; Over the n float64 values at p, skipping NaN (a missing value): writes
  ;; to out, as float64, the count of present values, the sums of their
  ;; deviations from `shift` and of those deviations squared, then their
  ;; minimum and maximum (Infinity and -Infinity when none is present).
  ;; Two values per instruction, in two lanes whose sums meet at the end: the
  ;; sums differ from one chain's in rounding only. A NaN lane adds zero, and
  ;; pmin/pmax (`b < a ? b : a`) keep the current extreme against a NaN.
  (func (export "stats") (param $p i32) (param $n i32) (param $shift f64) (param $out i32)
    (local $end i32) (local $v v128) (local $present v128) (local $d v128) (local $shifts v128)
    (local $count v128) (local $sum v128) (local $squares v128) (local $min v128) (local $max v128)
    (local $x f64)
    (local.set $shifts (f64x2.splat (local.get $shift)))
    (local.set $min (f64x2.splat (f64.const inf)))
    (local.set $max (f64x2.splat (f64.const -inf)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $pairsEnd
      (loop $pairs
        (br_if $pairsEnd (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $present (f64x2.eq (local.get $v) (local.get $v)))
        (local.set $d (v128.and (f64x2.sub (local.get $v) (local.get $shifts)) (local.get $present)))
        ;; A present lane's mask is -1.
        (local.set $count (i64x2.sub (local.get $count) (local.get $present)))
        (local.set $sum (f64x2.add (local.get $sum) (local.get $d)))
        (local.set $squares (f64x2.add (local.get $squares) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $min (f64x2.pmin (local.get $min) (local.get $v)))
        (local.set $max (f64x2.pmax (local.get $max) (local.get $v)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $pairs)))
    ;; The last value of an odd count goes in lane 0, lane 1 a NaN.
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $v (f64x2.replace_lane 0 (f64x2.splat (f64.const nan)) (f64.load (local.get $p))))
        (local.set $present (f64x2.eq (local.get $v) (local.get $v)))
        (local.set $d (v128.and (f64x2.sub (local.get $v) (local.get $shifts)) (local.get $present)))
        (local.set $count (i64x2.sub (local.get $count) (local.get $present)))
        (local.set $sum (f64x2.add (local.get $sum) (local.get $d)))
        (local.set $squares (f64x2.add (local.get $squares) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $min (f64x2.pmin (local.get $min) (local.get $v)))
        (local.set $max (f64x2.pmax (local.get $max) (local.get $v)))))
    (f64.store (local.get $out)
      (f64.convert_i64_u (i64.add (i64x2.extract_lane 0 (local.get $count)) (i64x2.extract_lane 1 (local.get $count)))))
    (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))
    (f64.store offset=16 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $squares)) (f64x2.extract_lane 1 (local.get $squares))))
    (local.set $x (f64x2.extract_lane 1 (local.get $min)))
    (f64.store offset=24 (local.get $out)
      (select (local.get $x) (f64x2.extract_lane 0 (local.get $min)) (f64.lt (local.get $x) (f64x2.extract_lane 0 (local.get $min)))))
    (local.set $x (f64x2.extract_lane 1 (local.get $max)))
    (f64.store offset=32 (local.get $out)
      (select (local.get $x) (f64x2.extract_lane 0 (local.get $max)) (f64.gt (local.get $x) (f64x2.extract_lane 0 (local.get $max))))))

  ;; Interleaves `width` columns of `rows` float64 values each, column f at
  ;; in + f × rows × 8, into float32 rows at out: out[r × width + f]. A
  ;; column at a time over blocks of 64 rows, so that each column is read in
  ;; order and the block's rows (8 KiB at 32 features) stay in cache.
  (func (export "interleave") (param $in i32) (param $rows i32) (param $width i32) (param $out i32)
    (local $block i32) (local $blockEnd i32) (local $f i32) (local $src i32) (local $srcEnd i32) (local $dst i32)
    (local $rowBytes i32) (local $columnBytes i32)
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $columnBytes (i32.shl (local.get $rows) (i32.const 3)))
    (block $blocksEnd
      (loop $blocks
        (br_if $blocksEnd (i32.ge_u (local.get $block) (local.get $rows)))
        (local.set $blockEnd (i32.add (local.get $block) (i32.const 64)))
        (if (i32.gt_u (local.get $blockEnd) (local.get $rows)) (then (local.set $blockEnd (local.get $rows))))
        (local.set $f (i32.const 0))
        (block $columnsEnd
          (loop $columns
            (br_if $columnsEnd (i32.ge_u (local.get $f) (local.get $width)))
            (local.set $src
              (i32.add (i32.add (local.get $in) (i32.mul (local.get $f) (local.get $columnBytes))) (i32.shl (local.get $block) (i32.const 3))))
            (local.set $srcEnd (i32.add (local.get $src) (i32.shl (i32.sub (local.get $blockEnd) (local.get $block)) (i32.const 3))))
            (local.set $dst
              (i32.add (local.get $out) (i32.add (i32.mul (local.get $block) (local.get $rowBytes)) (i32.shl (local.get $f) (i32.const 2)))))
            (block $valuesEnd
              (loop $values
                (br_if $valuesEnd (i32.ge_u (local.get $src) (local.get $srcEnd)))
                (f32.store (local.get $dst) (f32.demote_f64 (f64.load (local.get $src))))
                (local.set $src (i32.add (local.get $src) (i32.const 8)))
                (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
                (br $values)))
            (local.set $f (i32.add (local.get $f) (i32.const 1)))
            (br $columns)))
        (local.set $block (local.get $blockEnd))
        (br $blocks))))
)
