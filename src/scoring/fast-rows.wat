;; The parser's fast path (fast-rows.ts): plain CSV records, parsed straight
;; from bytes in linear memory. It takes records only while every field is
;; plain and stops at the first record that is not, which the JavaScript
;; parser then takes; so it needs to know only what is plain, never why a
;; record is not. Built into fast-rows-wasm.ts by scripts/build-wasm.ts.
;;
;; A plain record: unquoted fields, as many as the header has, ending in LF or
;; CRLF (the caller puts an LF after the last byte, so a last record without
;; one ends there too); no quote, and no CR but the one of a CRLF; numeric
;; fields are [+-]digits[.digits] or [+-].digits with 1 to 15 digits, then
;; optionally e|E[+-] and 1 to 3 digits, scaling by at most 10^±22, within
;; maxField bytes; id and text fields are ASCII, the id not empty and within
;; maxId bytes, text within maxField; skipped fields anything else. A blank
;; line is not a record: its empty id stops it, and the caller skips it.
;;
;; With at most 15 digits the mantissa is an exact integer below 2^53, and
;; 10^k with k <= 22 is exact too, so one correctly rounded multiplication or
;; division gives exactly the value Number() reads from the text: the fast
;; path of number-parser.ts, which explains why.
(module
  (memory (export "memory") 1)
  ;; Layout, set by `configure` (byte offsets into memory):
  ;;   0:        10^0 … 10^22 as f64, written by the caller
  ;;   kinds:    one byte per column: 0 skip, 1 numeric, 2 text, 3 id
  ;;   slots:    one i32 per column: its numeric slot, or its string slot (id 0, text 1 + k)
  ;;   numbers:  f64 per (numeric slot, row): numbers + (slot * stride + row) * 8
  ;;   strings:  (start, end) i32 offsets per (string slot, row), relative to the input
  (global $width (mut i32) (i32.const 0))
  (global $delimiter (mut i32) (i32.const 44))
  (global $maxField (mut i32) (i32.const 0))
  (global $maxId (mut i32) (i32.const 0))
  (global $kinds (mut i32) (i32.const 0))
  (global $slots (mut i32) (i32.const 0))
  (global $numbers (mut i32) (i32.const 0))
  (global $strings (mut i32) (i32.const 0))
  (global $stride (mut i32) (i32.const 0))
  ;; Records taken by the last call of `rows`.
  (global $taken (mut i32) (i32.const 0))

  (func (export "configure")
    (param $width i32) (param $delimiter i32) (param $maxField i32) (param $maxId i32)
    (param $kinds i32) (param $slots i32) (param $numbers i32) (param $strings i32) (param $stride i32)
    (global.set $width (local.get $width))
    (global.set $delimiter (local.get $delimiter))
    (global.set $maxField (local.get $maxField))
    (global.set $maxId (local.get $maxId))
    (global.set $kinds (local.get $kinds))
    (global.set $slots (local.get $slots))
    (global.set $numbers (local.get $numbers))
    (global.set $strings (local.get $strings))
    (global.set $stride (local.get $stride)))

  (func (export "taken") (result i32) (global.get $taken))

  ;; Takes plain records from input offset $p until the input's end $n, the
  ;; first record that is not plain, or $limit records (at most the stride).
  ;; The input starts at $in. Returns the input offset where it stopped (past
  ;; $n when the last record ended at the LF after the input); `taken` says
  ;; how many records it wrote.
  (func (export "rows") (param $in i32) (param $p i32) (param $n i32) (param $limit i32) (result i32)
    (local $row i32) (local $col i32) (local $last i32) (local $kind i32) (local $b i32)
    (local $start i32) (local $field i32) (local $m i64) (local $digits i32) (local $scale i32)
    (local $negative i32) (local $value f64) (local $at i32)
    (local $power i32) (local $exponent i32) (local $exponentNegative i32)
    (local.set $p (i32.add (local.get $in) (local.get $p)))
    (local.set $n (i32.add (local.get $in) (local.get $n)))
    (local.set $last (i32.sub (global.get $width) (i32.const 1)))
    (block $stop
      (loop $record
        (local.set $start (local.get $p))
        (br_if $stop (i32.ge_u (local.get $p) (local.get $n)))
        (br_if $stop (i32.ge_u (local.get $row) (local.get $limit)))
        (local.set $col (i32.const 0))
        (loop $next
          (local.set $kind (i32.load8_u (i32.add (global.get $kinds) (local.get $col))))
          (local.set $field (local.get $p))
          ;; Where a kept field's output goes; a skipped field has none.
          (if (local.get $kind)
            (then
              (local.set $at
                (i32.shl
                  (i32.add
                    (i32.mul (i32.load (i32.add (global.get $slots) (i32.shl (local.get $col) (i32.const 2)))) (global.get $stride))
                    (local.get $row))
                  (i32.const 3)))))
          (if (i32.eq (local.get $kind) (i32.const 1))
            (then
              (local.set $b (i32.load8_u (local.get $p)))
              (local.set $negative (i32.eq (local.get $b) (i32.const 0x2d)))
              (local.set $p
                (i32.add (local.get $p) (i32.or (local.get $negative) (i32.eq (local.get $b) (i32.const 0x2b)))))
              (local.set $m (i64.const 0))
              (local.set $digits (local.get $p))
              (block $integerEnd
                (loop $integer
                  (local.set $b (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)))
                  (br_if $integerEnd (i32.gt_u (local.get $b) (i32.const 9)))
                  (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (local.get $b))))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $integer)))
              (local.set $digits (i32.sub (local.get $p) (local.get $digits)))
              (local.set $scale (i32.const 0))
              ;; "." - "0" = -2
              (if (i32.eq (local.get $b) (i32.const -2))
                (then
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (local.set $scale (local.get $p))
                  (block $fractionEnd
                    (loop $fraction
                      (local.set $b (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)))
                      (br_if $fractionEnd (i32.gt_u (local.get $b) (i32.const 9)))
                      (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (local.get $b))))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (br $fraction)))
                  (local.set $scale (i32.sub (local.get $p) (local.get $scale)))
                  (local.set $digits (i32.add (local.get $digits) (local.get $scale)))))
              ;; 1 to 15 digits (0 wraps around to the largest unsigned value).
              (br_if $stop (i32.gt_u (i32.sub (local.get $digits) (i32.const 1)) (i32.const 14)))
              ;; An exponent of 1 to 3 digits: "e" - "0" = 53, "E" - "0" = 21.
              (if (i32.or (i32.eq (local.get $b) (i32.const 53)) (i32.eq (local.get $b) (i32.const 21)))
                (then
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (local.set $b (i32.load8_u (local.get $p)))
                  (local.set $exponentNegative (i32.eq (local.get $b) (i32.const 0x2d)))
                  (local.set $p
                    (i32.add (local.get $p) (i32.or (local.get $exponentNegative) (i32.eq (local.get $b) (i32.const 0x2b)))))
                  (local.set $digits (local.get $p))
                  (local.set $exponent (i32.const 0))
                  (block $exponentEnd
                    (loop $exponentDigits
                      (local.set $b (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)))
                      (br_if $exponentEnd (i32.gt_u (local.get $b) (i32.const 9)))
                      (local.set $exponent (i32.add (i32.mul (local.get $exponent) (i32.const 10)) (local.get $b)))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (br $exponentDigits)))
                  (br_if $stop (i32.gt_u (i32.sub (i32.sub (local.get $p) (local.get $digits)) (i32.const 1)) (i32.const 2)))
                  (local.set $power
                    (i32.sub
                      (select (i32.sub (i32.const 0) (local.get $exponent)) (local.get $exponent) (local.get $exponentNegative))
                      (local.get $scale)))
                  ;; 10^|power| is exact for |power| <= 22.
                  (br_if $stop (i32.gt_u (i32.add (local.get $power) (i32.const 22)) (i32.const 44)))
                  (if (i32.lt_s (local.get $power) (i32.const 0))
                    (then
                      (local.set $value
                        (f64.div (f64.convert_i64_u (local.get $m)) (f64.load (i32.shl (i32.sub (i32.const 0) (local.get $power)) (i32.const 3))))))
                    (else
                      (local.set $value
                        (f64.mul (f64.convert_i64_u (local.get $m)) (f64.load (i32.shl (local.get $power) (i32.const 3))))))))
                (else
                  (local.set $value
                    (f64.div (f64.convert_i64_u (local.get $m)) (f64.load (i32.shl (local.get $scale) (i32.const 3)))))))
              (br_if $stop (i32.gt_u (i32.sub (local.get $p) (local.get $field)) (global.get $maxField)))
              (f64.store
                (i32.add (global.get $numbers) (local.get $at))
                (select (f64.neg (local.get $value)) (local.get $value) (local.get $negative))))
            (else
              (block $textEnd
                (loop $text
                  (local.set $b (i32.load8_u (local.get $p)))
                  (br_if $textEnd (i32.eq (local.get $b) (global.get $delimiter)))
                  (br_if $textEnd (i32.eq (local.get $b) (i32.const 10)))
                  (br_if $stop (i32.eq (local.get $b) (i32.const 0x22)))
                  (if (i32.eq (local.get $b) (i32.const 13))
                    (then
                      (br_if $textEnd (i32.eq (i32.load8_u (i32.add (local.get $p) (i32.const 1))) (i32.const 10)))
                      (br $stop)))
                  ;; Skipped fields are never decoded; others must be ASCII here.
                  (br_if $stop (i32.and (i32.ge_u (local.get $b) (i32.const 0x80)) (i32.ne (local.get $kind) (i32.const 0))))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $text)))
              (if (i32.eq (local.get $kind) (i32.const 3))
                (then
                  (br_if $stop (i32.eq (local.get $p) (local.get $field)))
                  (br_if $stop (i32.gt_u (i32.sub (local.get $p) (local.get $field)) (global.get $maxId)))))
              (if (i32.eq (local.get $kind) (i32.const 2))
                (then (br_if $stop (i32.gt_u (i32.sub (local.get $p) (local.get $field)) (global.get $maxField)))))
              (if (i32.ne (local.get $kind) (i32.const 0))
                (then
                  (local.set $at (i32.add (global.get $strings) (local.get $at)))
                  (i32.store (local.get $at) (i32.sub (local.get $field) (local.get $in)))
                  (i32.store offset=4 (local.get $at) (i32.sub (local.get $p) (local.get $in)))))))
          ;; The field's end: a delimiter before the last field, an LF or CRLF after it.
          (local.set $b (i32.load8_u (local.get $p)))
          (if (i32.eq (local.get $b) (global.get $delimiter))
            (then
              (br_if $stop (i32.ge_u (local.get $col) (local.get $last)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (local.set $col (i32.add (local.get $col) (i32.const 1)))
              (br $next)))
          (if (i32.eq (local.get $b) (i32.const 13))
            (then
              (br_if $stop (i32.ne (i32.load8_u (i32.add (local.get $p) (i32.const 1))) (i32.const 10)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (local.set $b (i32.const 10))))
          (br_if $stop (i32.ne (local.get $b) (i32.const 10)))
          (br_if $stop (i32.ne (local.get $col) (local.get $last))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $record)))
    (global.set $taken (local.get $row))
    (i32.sub (local.get $start) (local.get $in)))
)
