;; The parser's fast path (fast-rows.ts): plain CSV records, parsed straight
;; from bytes in linear memory. It takes records only while every field is
;; plain and stops at the first record that is not, which the JavaScript
;; parser then takes; so it needs to know only what is plain, never why a
;; record is not. Built into fast-rows-wasm.ts by scripts/build-wasm.ts.
;;
;; A plain record: as many fields as the header has, ending in LF or CRLF (the
;; caller puts an LF after the last byte, so a last record without one ends
;; there too); no CR but the one of a CRLF; fields unquoted without a quote,
;; or quoted without a quote, CR or LF inside; numeric fields, quoted or not,
;; are empty or an NA spelling (a missing value: NaN), or [+-]digits[.digits]
;; or [+-].digits with 1 to 19 digits after any leading zeros, then optionally
;; e|E[+-] and 1 to 3 digits, within maxField bytes, whose value is 0 or a
;; normal double; id and text fields are well-formed UTF-8 (the end offset's
;; bit 31 tells the caller which are not ASCII), the id not empty and within
;; maxId bytes, text within maxField; skipped fields anything else. A blank
;; line is not a record: its empty id stops it, and the caller skips it.
;;
;; Every value is exactly the one Number() reads from the text. Up to 19
;; digits the mantissa is an exact 64-bit integer. Below 2^53 it is an exact
;; double, and so is 10^k with k <= 22, so one correctly rounded multiplication
;; or division gives the value: the fast path of number-parser.ts, which
;; explains why. Anything else, the 16 and 17 digits of round-trip output
;; (pandas' default) above all, goes through the Eisel–Lemire algorithm as
;; fast_float implements it, proven to need no fallback for a 64-bit mantissa
;; (Mushtak and Lemire, "Fast number parsing without fallback", 2023); the
;; module leaves the rare subnormal or overflowing value to JavaScript.
(module
  (memory (export "memory") 1)
  ;; Layout, set by `configure` (byte offsets into memory):
  ;;   0:        10^0 … 10^22 as f64, written by the caller
  ;;   256:      5^q for q in -342 … 308, the 128 most significant bits as i64 (high, low) pairs,
  ;;             written by the caller (POWERS_OF_FIVE, made by scripts/wasm/powers-of-five.ts)
  ;;   kinds:    one byte per column: 0 skip, 1 numeric, 2 text, 3 id
  ;;   slots:    one i32 per column: its numeric slot, or its string slot (id 0, text 1 + k)
  ;;   na:       the NA spellings of numeric cells, each its length (1 to 255) and bytes; a 0 ends them
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
  (global $na (mut i32) (i32.const 0))
  (global $stride (mut i32) (i32.const 0))
  ;; Records taken by the last call of `rows`.
  (global $taken (mut i32) (i32.const 0))
  ;; The low half of the last `multiply`.
  (global $low (mut i64) (i64.const 0))

  (func (export "configure")
    (param $width i32) (param $delimiter i32) (param $maxField i32) (param $maxId i32)
    (param $kinds i32) (param $slots i32) (param $numbers i32) (param $strings i32) (param $stride i32) (param $na i32)
    (global.set $width (local.get $width))
    (global.set $delimiter (local.get $delimiter))
    (global.set $maxField (local.get $maxField))
    (global.set $maxId (local.get $maxId))
    (global.set $kinds (local.get $kinds))
    (global.set $slots (local.get $slots))
    (global.set $numbers (local.get $numbers))
    (global.set $strings (local.get $strings))
    (global.set $stride (local.get $stride))
    (global.set $na (local.get $na)))

  (func (export "taken") (result i32) (global.get $taken))

  ;; The high 64 bits of the 128-bit product a × b; the low 64 go to $low.
  (func $multiply (param $a i64) (param $b i64) (result i64)
    (local $aLow i64) (local $aHigh i64) (local $bLow i64) (local $bHigh i64) (local $ll i64) (local $hl i64) (local $cross i64)
    (local.set $aLow (i64.and (local.get $a) (i64.const 0xffffffff)))
    (local.set $aHigh (i64.shr_u (local.get $a) (i64.const 32)))
    (local.set $bLow (i64.and (local.get $b) (i64.const 0xffffffff)))
    (local.set $bHigh (i64.shr_u (local.get $b) (i64.const 32)))
    (local.set $ll (i64.mul (local.get $aLow) (local.get $bLow)))
    (local.set $hl (i64.mul (local.get $aHigh) (local.get $bLow)))
    ;; At most 3 × (2^32 - 1) + (2^32 - 1)^2 < 2^64: no carry is lost.
    (local.set $cross
      (i64.add
        (i64.add (i64.shr_u (local.get $ll) (i64.const 32)) (i64.and (local.get $hl) (i64.const 0xffffffff)))
        (i64.mul (local.get $aLow) (local.get $bHigh))))
    (global.set $low (i64.or (i64.shl (local.get $cross) (i64.const 32)) (i64.and (local.get $ll) (i64.const 0xffffffff))))
    (i64.add
      (i64.add (i64.mul (local.get $aHigh) (local.get $bHigh)) (i64.shr_u (local.get $hl) (i64.const 32)))
      (i64.shr_u (local.get $cross) (i64.const 32))))

  ;; The end of the field that starts at p if the field is one of the NA
  ;; spellings (it ends at a delimiter, a record end or a quote), else 0.
  (func $missing (param $p i32) (result i32)
    (local $end i32) (local $b i32) (local $at i32) (local $length i32) (local $i i32)
    (local.set $end (local.get $p))
    (block $ended
      (loop $scan
        (local.set $b (i32.load8_u (local.get $end)))
        (br_if $ended (i32.eq (local.get $b) (global.get $delimiter)))
        (br_if $ended (i32.or (i32.eq (local.get $b) (i32.const 10)) (i32.eq (local.get $b) (i32.const 13))))
        (br_if $ended (i32.eq (local.get $b) (i32.const 0x22)))
        (local.set $end (i32.add (local.get $end) (i32.const 1)))
        (br $scan)))
    (local.set $at (global.get $na))
    (block $none
      (loop $spelling
        (local.set $length (i32.load8_u (local.get $at)))
        (br_if $none (i32.eqz (local.get $length)))
        (if (i32.eq (local.get $length) (i32.sub (local.get $end) (local.get $p)))
          (then
            (local.set $i (i32.const 0))
            (block $differs
              (loop $compare
                (br_if $differs
                  (i32.ne (i32.load8_u offset=1 (i32.add (local.get $at) (local.get $i))) (i32.load8_u (i32.add (local.get $p) (local.get $i)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $compare (i32.lt_u (local.get $i) (local.get $length)))
                (return (local.get $end))))))
        (local.set $at (i32.add (local.get $at) (i32.add (local.get $length) (i32.const 1))))
        (br $spelling)))
    (i32.const 0))

  ;; The length of the well-formed UTF-8 sequence at p, whose first byte is at
  ;; least 0x80: 2 to 4, or 0 when it is not one (the Unicode Standard's table
  ;; 3-7: no overlong form, no surrogate, nothing past U+10FFFF), as
  ;; TextDecoder's fatal mode judges. Reads at most 3 bytes past p.
  (func $sequence (param $p i32) (result i32)
    (local $lead i32) (local $length i32) (local $low i32) (local $high i32) (local $second i32)
    (local.set $lead (i32.load8_u (local.get $p)))
    (local.set $low (i32.const 0x80))
    (local.set $high (i32.const 0xbf))
    (if (i32.lt_u (local.get $lead) (i32.const 0xc2)) (then (return (i32.const 0))))
    (if (i32.gt_u (local.get $lead) (i32.const 0xf4)) (then (return (i32.const 0))))
    (local.set $length
      (select (i32.const 2) (select (i32.const 3) (i32.const 4) (i32.lt_u (local.get $lead) (i32.const 0xf0))) (i32.lt_u (local.get $lead) (i32.const 0xe0))))
    ;; The second byte's range is narrower after these four leads.
    (if (i32.eq (local.get $lead) (i32.const 0xe0)) (then (local.set $low (i32.const 0xa0))))
    (if (i32.eq (local.get $lead) (i32.const 0xed)) (then (local.set $high (i32.const 0x9f))))
    (if (i32.eq (local.get $lead) (i32.const 0xf0)) (then (local.set $low (i32.const 0x90))))
    (if (i32.eq (local.get $lead) (i32.const 0xf4)) (then (local.set $high (i32.const 0x8f))))
    (local.set $second (i32.load8_u offset=1 (local.get $p)))
    (if (i32.or (i32.lt_u (local.get $second) (local.get $low)) (i32.gt_u (local.get $second) (local.get $high)))
      (then (return (i32.const 0))))
    (if (i32.and (i32.ge_u (local.get $length) (i32.const 3)) (i32.ne (i32.and (i32.load8_u offset=2 (local.get $p)) (i32.const 0xc0)) (i32.const 0x80)))
      (then (return (i32.const 0))))
    (if (i32.and (i32.eq (local.get $length) (i32.const 4)) (i32.ne (i32.and (i32.load8_u offset=3 (local.get $p)) (i32.const 0xc0)) (i32.const 0x80)))
      (then (return (i32.const 0))))
    (local.get $length))

  ;; m × 10^q correctly rounded, m not 0 (fast_float's compute_float for
  ;; binary64, step for step), or NaN where the module leaves the number to
  ;; JavaScript: q outside the table, a subnormal or an infinite result.
  (func $eiselLemire (param $m i64) (param $q i32) (result f64)
    (local $lz i64) (local $at i32) (local $high i64) (local $low i64) (local $second i64)
    (local $upper i64) (local $shift i64) (local $mantissa i64) (local $power2 i32)
    (if (i32.gt_u (i32.add (local.get $q) (i32.const 342)) (i32.const 650)) (then (return (f64.const nan))))
    (local.set $lz (i64.clz (local.get $m)))
    (local.set $m (i64.shl (local.get $m) (local.get $lz)))
    (local.set $at (i32.add (i32.const 256) (i32.shl (i32.add (local.get $q) (i32.const 342)) (i32.const 4))))
    (local.set $high (call $multiply (local.get $m) (i64.load (local.get $at))))
    (local.set $low (global.get $low))
    ;; The product's top 55 bits are exact unless the 9 below them are all ones: then the next 64 bits of 5^q decide.
    (if (i64.eq (i64.and (local.get $high) (i64.const 0x1ff)) (i64.const 0x1ff))
      (then
        (local.set $second (call $multiply (local.get $m) (i64.load offset=8 (local.get $at))))
        (local.set $low (i64.add (local.get $low) (local.get $second)))
        (if (i64.gt_u (local.get $second) (local.get $low))
          (then (local.set $high (i64.add (local.get $high) (i64.const 1)))))))
    (local.set $upper (i64.shr_u (local.get $high) (i64.const 63)))
    (local.set $shift (i64.add (local.get $upper) (i64.const 9)))
    (local.set $mantissa (i64.shr_u (local.get $high) (local.get $shift)))
    ;; floor(q × log2(10)) + 63 + the product's top bit - m's shift, biased by 1023.
    (local.set $power2
      (i32.add
        (i32.sub
          (i32.add
            (i32.add (i32.shr_s (i32.mul (local.get $q) (i32.const 217706)) (i32.const 16)) (i32.const 63))
            (i32.wrap_i64 (local.get $upper)))
          (i32.wrap_i64 (local.get $lz)))
        (i32.const 1023)))
    (if (i32.le_s (local.get $power2) (i32.const 0)) (then (return (f64.const nan))))
    ;; Exactly halfway between two doubles (possible only for q in -4 … 23): round to even.
    (if (i32.and
          (i32.and (i64.le_u (local.get $low) (i64.const 1)) (i32.le_u (i32.add (local.get $q) (i32.const 4)) (i32.const 27)))
          (i64.eq (i64.and (local.get $mantissa) (i64.const 3)) (i64.const 1)))
      (then
        (if (i64.eq (i64.shl (local.get $mantissa) (local.get $shift)) (local.get $high))
          (then (local.set $mantissa (i64.and (local.get $mantissa) (i64.const -2)))))))
    (local.set $mantissa (i64.shr_u (i64.add (local.get $mantissa) (i64.and (local.get $mantissa) (i64.const 1))) (i64.const 1)))
    ;; Rounding up to 2^53 carries into the exponent.
    (if (i64.ge_u (local.get $mantissa) (i64.const 0x20000000000000))
      (then
        (local.set $mantissa (i64.const 0x10000000000000))
        (local.set $power2 (i32.add (local.get $power2) (i32.const 1)))))
    (if (i32.ge_s (local.get $power2) (i32.const 0x7ff)) (then (return (f64.const nan))))
    (f64.reinterpret_i64
      (i64.or
        (i64.and (local.get $mantissa) (i64.const 0xfffffffffffff))
        (i64.shl (i64.extend_i32_u (local.get $power2)) (i64.const 52)))))

  ;; Copies string slot $slot of the first $count records the last `rows`
  ;; took, one field after another, to $out, and each field's end (relative
  ;; to $out) as an i32 to $ends: the caller then decodes the slot's fields
  ;; with one call. Returns the bytes copied, or -1 at the first field that is
  ;; not all ASCII, which the caller decodes on its own. $in is the input's
  ;; offset, as `rows` took it.
  (func (export "pack") (param $in i32) (param $slot i32) (param $count i32) (param $out i32) (param $ends i32) (result i32)
    (local $at i32) (local $last i32) (local $start i32) (local $end i32) (local $length i32) (local $p i32)
    (local.set $at (i32.add (global.get $strings) (i32.shl (i32.mul (local.get $slot) (global.get $stride)) (i32.const 3))))
    (local.set $last (i32.add (local.get $at) (i32.shl (local.get $count) (i32.const 3))))
    (local.set $p (local.get $out))
    (block $done
      (loop $fields
        (br_if $done (i32.ge_u (local.get $at) (local.get $last)))
        (local.set $end (i32.load offset=4 (local.get $at)))
        ;; Bit 31 of the end: the field is not all ASCII.
        (if (i32.lt_s (local.get $end) (i32.const 0)) (then (return (i32.const -1))))
        (local.set $start (i32.load (local.get $at)))
        (local.set $length (i32.sub (local.get $end) (local.get $start)))
        (memory.copy (local.get $p) (i32.add (local.get $in) (local.get $start)) (local.get $length))
        (local.set $p (i32.add (local.get $p) (local.get $length)))
        (i32.store (local.get $ends) (i32.sub (local.get $p) (local.get $out)))
        (local.set $ends (i32.add (local.get $ends) (i32.const 4)))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $fields)))
    (i32.sub (local.get $p) (local.get $out)))

  ;; Takes plain records from input offset $p until the input's end $n, the
  ;; first record that is not plain, or $limit records (at most the stride).
  ;; The input starts at $in. Returns the input offset where it stopped (past
  ;; $n when the last record ended at the LF after the input); `taken` says
  ;; how many records it wrote.
  (func (export "rows") (param $in i32) (param $p i32) (param $n i32) (param $limit i32) (result i32)
    (local $row i32) (local $col i32) (local $last i32) (local $kind i32) (local $b i32)
    (local $start i32) (local $field i32) (local $m i64) (local $digits i32) (local $scale i32)
    (local $negative i32) (local $value f64) (local $at i32)
    (local $power i32) (local $exponent i32) (local $exponentNegative i32) (local $contentEnd i32)
    (local $quoted i32) (local $first i32) (local $c i32) (local $wide i32)
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
              ;; A quoted number: the same, between quotes (no blank inside: the JavaScript parser trims those).
              (local.set $quoted (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x22)))
              (local.set $p (i32.add (local.get $p) (local.get $quoted)))
              (local.set $field (local.get $p))
              (local.set $b (i32.load8_u (local.get $p)))
              ;; An empty field is a missing value, as in the JavaScript parser: NaN.
              (if (select
                    (i32.eq (local.get $b) (i32.const 0x22))
                    (i32.or (i32.or (i32.eq (local.get $b) (global.get $delimiter)) (i32.eq (local.get $b) (i32.const 10))) (i32.eq (local.get $b) (i32.const 13)))
                    (local.get $quoted))
                (then (f64.store (i32.add (global.get $numbers) (local.get $at)) (f64.const nan)))
                (else
                  (block $parsed
                    (local.set $negative (i32.eq (local.get $b) (i32.const 0x2d)))
                    (local.set $p
                      (i32.add (local.get $p) (i32.or (local.get $negative) (i32.eq (local.get $b) (i32.const 0x2b)))))
                    (local.set $m (i64.const 0))
                    (local.set $first (local.get $p))
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
                    (if (i32.eqz (local.get $digits))
                      (then
                        ;; Not a number: a missing value if the field is one of the NA spellings.
                        (local.set $p (call $missing (local.get $field)))
                        (br_if $stop (i32.eqz (local.get $p)))
                        (br_if $stop (i32.gt_u (i32.sub (local.get $p) (local.get $field)) (global.get $maxField)))
                        (f64.store (i32.add (global.get $numbers) (local.get $at)) (f64.const nan))
                        (br $parsed)))
                    ;; At most 19 digits after the leading zeros, so that the mantissa is exact.
                    (if (i32.gt_u (local.get $digits) (i32.const 19))
                      (then
                        (block $zerosEnd
                          (loop $zeros
                            (local.set $c (i32.load8_u (local.get $first)))
                            (br_if $zerosEnd (i32.and (i32.ne (local.get $c) (i32.const 0x30)) (i32.ne (local.get $c) (i32.const 0x2e))))
                            (local.set $digits (i32.sub (local.get $digits) (i32.eq (local.get $c) (i32.const 0x30))))
                            (local.set $first (i32.add (local.get $first) (i32.const 1)))
                            (br $zeros)))
                        (br_if $stop (i32.gt_u (local.get $digits) (i32.const 19)))))
                    (local.set $power (i32.sub (i32.const 0) (local.get $scale)))
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
                            (local.get $scale)))))
                    (local.set $value
                      (if (result f64) (i64.eqz (local.get $m))
                        (then (f64.const 0))
                        (else
                          ;; Below 2^53 and with |power| <= 22, both operands are exact: one rounding.
                          (if (result f64)
                            (i32.and
                              (i64.lt_u (local.get $m) (i64.const 0x20000000000000))
                              (i32.le_u (i32.add (local.get $power) (i32.const 22)) (i32.const 44)))
                            (then
                              (if (result f64) (i32.lt_s (local.get $power) (i32.const 0))
                                (then
                                  (f64.div (f64.convert_i64_u (local.get $m)) (f64.load (i32.shl (i32.sub (i32.const 0) (local.get $power)) (i32.const 3)))))
                                (else
                                  (f64.mul (f64.convert_i64_u (local.get $m)) (f64.load (i32.shl (local.get $power) (i32.const 3)))))))
                            (else (call $eiselLemire (local.get $m) (local.get $power)))))))
                    (br_if $stop (f64.ne (local.get $value) (local.get $value)))
                    (br_if $stop (i32.gt_u (i32.sub (local.get $p) (local.get $field)) (global.get $maxField)))
                    (f64.store
                      (i32.add (global.get $numbers) (local.get $at))
                      (select (f64.neg (local.get $value)) (local.get $value) (local.get $negative))))))
              (if (local.get $quoted)
                (then
                  (br_if $stop (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x22)))
                  (local.set $p (i32.add (local.get $p) (i32.const 1))))))
            (else
              (local.set $wide (i32.const 0))
              (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x22))
                (then
                  ;; A quoted field: its content runs to the next quote, which must end the
                  ;; field (a doubled quote stops here). A record end inside the quotes
                  ;; would make the record span lines, which the JavaScript parser counts.
                  (local.set $field (i32.add (local.get $p) (i32.const 1)))
                  (local.set $p (local.get $field))
                  (block $quotedEnd
                    (loop $quoted
                      (local.set $b (i32.load8_u (local.get $p)))
                      (br_if $quotedEnd (i32.eq (local.get $b) (i32.const 0x22)))
                      (br_if $stop (i32.or (i32.eq (local.get $b) (i32.const 10)) (i32.eq (local.get $b) (i32.const 13))))
                      (if (i32.and (i32.ge_u (local.get $b) (i32.const 0x80)) (i32.ne (local.get $kind) (i32.const 0)))
                        (then
                          (local.set $c (call $sequence (local.get $p)))
                          (br_if $stop (i32.eqz (local.get $c)))
                          (local.set $wide (i32.const 0x80000000))
                          (local.set $p (i32.add (local.get $p) (i32.sub (local.get $c) (i32.const 1))))))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (br $quoted)))
                  (local.set $contentEnd (local.get $p))
                  (local.set $p (i32.add (local.get $p) (i32.const 1))))
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
                      ;; Skipped fields are never decoded; others must be well-formed UTF-8.
                      (if (i32.and (i32.ge_u (local.get $b) (i32.const 0x80)) (i32.ne (local.get $kind) (i32.const 0)))
                        (then
                          (local.set $c (call $sequence (local.get $p)))
                          (br_if $stop (i32.eqz (local.get $c)))
                          (local.set $wide (i32.const 0x80000000))
                          (local.set $p (i32.add (local.get $p) (i32.sub (local.get $c) (i32.const 1))))))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (br $text)))
                  (local.set $contentEnd (local.get $p))))
              (if (i32.eq (local.get $kind) (i32.const 3))
                (then
                  (br_if $stop (i32.eq (local.get $contentEnd) (local.get $field)))
                  (br_if $stop (i32.gt_u (i32.sub (local.get $contentEnd) (local.get $field)) (global.get $maxId)))))
              (if (i32.eq (local.get $kind) (i32.const 2))
                (then (br_if $stop (i32.gt_u (i32.sub (local.get $contentEnd) (local.get $field)) (global.get $maxField)))))
              (if (i32.ne (local.get $kind) (i32.const 0))
                (then
                  (local.set $at (i32.add (global.get $strings) (local.get $at)))
                  (i32.store (local.get $at) (i32.sub (local.get $field) (local.get $in)))
                  ;; The end, with bit 31 set when the field is not all ASCII.
                  (i32.store offset=4 (local.get $at) (i32.or (i32.sub (local.get $contentEnd) (local.get $in)) (local.get $wide)))))))
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
