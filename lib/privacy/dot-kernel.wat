;; The memorisation check's inner loop (see dot-kernel.ts): for r in 0..rows,
;;   out[r] = Σ_j m[r·dim + j] · q[j]      (m int8, q int16, out int32; dim a multiple of 32)
;; 32 values per iteration: two 16-byte loads of the row, each widened to two i16x8 halves, multiplied
;; and pairwise summed with the query's halves by i32x4.dot_i16x8_s into four i32x4 accumulators.
;; Assembled by scripts/assemble-dot-kernel.ts (wabt) into dot-kernel-wasm.ts; a unit test checks that
;; the committed bytes are this file's.
(module
  (import "env" "memory" (memory 1))
  (func (export "dots") (param $m i32) (param $q i32) (param $out i32) (param $rows i32) (param $dim i32)
    (local $r i32) (local $j i32) (local $row i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $qptr i32)
    (local.set $row (local.get $m))
    (block $done
      (loop $next_row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $acc0 (v128.const i32x4 0 0 0 0))
        (local.set $acc1 (v128.const i32x4 0 0 0 0))
        (local.set $acc2 (v128.const i32x4 0 0 0 0))
        (local.set $acc3 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (local.set $qptr (local.get $q))
        (loop $next_32
          ;; row bytes j..j+15: low half with q[j..j+7], high half with q[j+8..j+15]
          (local.set $acc0
            (i32x4.add (local.get $acc0)
              (i32x4.dot_i16x8_s
                (i16x8.extend_low_i8x16_s (v128.load (i32.add (local.get $row) (local.get $j))))
                (v128.load (local.get $qptr)))))
          (local.set $acc1
            (i32x4.add (local.get $acc1)
              (i32x4.dot_i16x8_s
                (i16x8.extend_high_i8x16_s (v128.load (i32.add (local.get $row) (local.get $j))))
                (v128.load offset=16 (local.get $qptr)))))
          ;; row bytes j+16..j+31 with q[j+16..j+31]
          (local.set $acc2
            (i32x4.add (local.get $acc2)
              (i32x4.dot_i16x8_s
                (i16x8.extend_low_i8x16_s (v128.load offset=16 (i32.add (local.get $row) (local.get $j))))
                (v128.load offset=32 (local.get $qptr)))))
          (local.set $acc3
            (i32x4.add (local.get $acc3)
              (i32x4.dot_i16x8_s
                (i16x8.extend_high_i8x16_s (v128.load offset=16 (i32.add (local.get $row) (local.get $j))))
                (v128.load offset=48 (local.get $qptr)))))
          (local.set $qptr (i32.add (local.get $qptr) (i32.const 64)))
          (br_if $next_32
            (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 32))) (local.get $dim))))
        ;; acc0 = (acc0 + acc1) + (acc2 + acc3); out[r] = (lane0 + lane1) + (lane2 + lane3)
        (local.set $acc0
          (i32x4.add
            (i32x4.add (local.get $acc0) (local.get $acc1))
            (i32x4.add (local.get $acc2) (local.get $acc3))))
        (i32.store
          (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc0)) (i32x4.extract_lane 1 (local.get $acc0)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc0)) (i32x4.extract_lane 3 (local.get $acc0)))))
        (local.set $row (i32.add (local.get $row) (local.get $dim)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next_row)))))
