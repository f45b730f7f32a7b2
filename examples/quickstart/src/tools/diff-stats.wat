;; diff-stats as a WASI module (the quickstart's sandboxed tool): reads the tool input
;; {"diff":"<unified diff>"} as JSON on stdin, counts changed files ("+++ " lines), added
;; ("+") and removed ("-", not "--- ") lines, and prints the finding as JSON:
;; [{"tool":"diff-stats","severity":"info"|"medium","message":"F file(s), +A -R"}].
;; More than 400 changed lines is "medium", as in ./diff-stats.ts (a test keeps them in step).
;; Exit 2: no "diff" string in the input; exit 3: input over 1 MiB.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; 0..15 iovec and counts, 64.. constants, 512.. output, 65536.. input (1 MiB)
  (memory (export "memory") 18 18)
  (data (i32.const 64) "\"diff\":\"")
  (data (i32.const 80) "[{\"tool\":\"diff-stats\",\"severity\":\"")
  (data (i32.const 128) "\",\"message\":\"")
  (data (i32.const 144) " file(s), +")
  (data (i32.const 160) " -")
  (data (i32.const 168) "\"}]")
  (data (i32.const 176) "info")
  (data (i32.const 184) "medium")
  (data (i32.const 192) "no \"diff\" string in the input\n")
  (data (i32.const 232) "input over 1 MiB\n")
  (global $input i32 (i32.const 65536))
  (global $capacity i32 (i32.const 1048576))
  (global $out (mut i32) (i32.const 512))

  (func $write (param $fd i32) (param $from i32) (param $length i32)
    (i32.store (i32.const 0) (local.get $from))
    (i32.store (i32.const 4) (local.get $length))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $fail (param $code i32) (param $from i32) (param $length i32)
    (call $write (i32.const 2) (local.get $from) (local.get $length))
    (call $proc_exit (local.get $code)))

  (func $read_input (result i32)
    (local $total i32)
    (block $done
      (loop $more
        (if (i32.ge_u (local.get $total) (global.get $capacity))
          (then (call $fail (i32.const 3) (i32.const 232) (i32.const 17))))
        (i32.store (i32.const 0) (i32.add (global.get $input) (local.get $total)))
        (i32.store (i32.const 4) (i32.sub (global.get $capacity) (local.get $total)))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (br_if $done (i32.eqz (i32.load (i32.const 8))))
        (local.set $total (i32.add (local.get $total) (i32.load (i32.const 8))))
        (br $more)))
    (local.get $total))

  ;; Offset just after `"diff":"` in the input, or -1.
  (func $find_diff (param $length i32) (result i32)
    (local $at i32) (local $matched i32)
    (block $not_found
      (loop $next
        (br_if $not_found (i32.gt_u (i32.add (local.get $at) (i32.const 8)) (local.get $length)))
        (local.set $matched (i32.const 0))
        (block $differs
          (loop $compare
            (br_if $differs
              (i32.ne
                (i32.load8_u (i32.add (global.get $input) (i32.add (local.get $at) (local.get $matched))))
                (i32.load8_u (i32.add (i32.const 64) (local.get $matched)))))
            (local.set $matched (i32.add (local.get $matched) (i32.const 1)))
            (br_if $compare (i32.lt_u (local.get $matched) (i32.const 8)))
            (return (i32.add (local.get $at) (i32.const 8)))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (i32.const -1))

  (func $append (param $from i32) (param $length i32)
    (memory.copy (global.get $out) (local.get $from) (local.get $length))
    (global.set $out (i32.add (global.get $out) (local.get $length))))

  (func $append_number (param $value i32)
    (local $start i32) (local $end i32) (local $swap i32)
    (local.set $start (global.get $out))
    (loop $digit
      (i32.store8 (global.get $out) (i32.add (i32.const 48) (i32.rem_u (local.get $value) (i32.const 10))))
      (global.set $out (i32.add (global.get $out) (i32.const 1)))
      (local.set $value (i32.div_u (local.get $value) (i32.const 10)))
      (br_if $digit (local.get $value)))
    (local.set $end (i32.sub (global.get $out) (i32.const 1)))
    (block $reversed
      (loop $swap_more
        (br_if $reversed (i32.ge_u (local.get $start) (local.get $end)))
        (local.set $swap (i32.load8_u (local.get $start)))
        (i32.store8 (local.get $start) (i32.load8_u (local.get $end)))
        (i32.store8 (local.get $end) (local.get $swap))
        (local.set $start (i32.add (local.get $start) (i32.const 1)))
        (local.set $end (i32.sub (local.get $end) (i32.const 1)))
        (br $swap_more))))

  ;; The byte at `at` of the JSON string, 0 past its end (an unescaped quote).
  (func $byte (param $at i32) (param $length i32) (result i32)
    (if (result i32) (i32.ge_u (local.get $at) (local.get $length))
      (then (i32.const 0))
      (else (i32.load8_u (i32.add (global.get $input) (local.get $at))))))

  (func (export "_start")
    (local $length i32) (local $at i32) (local $byte i32) (local $next i32)
    (local $line_start i32) (local $files i32) (local $added i32) (local $removed i32)
    (local.set $length (call $read_input))
    (local.set $at (call $find_diff (local.get $length)))
    (if (i32.lt_s (local.get $at) (i32.const 0))
      (then (call $fail (i32.const 2) (i32.const 192) (i32.const 30))))
    (local.set $line_start (i32.const 1))
    (block $end
      (loop $scan
        (local.set $byte (call $byte (local.get $at) (local.get $length)))
        (br_if $end (i32.or (i32.eqz (local.get $byte)) (i32.eq (local.get $byte) (i32.const 34))))
        (if (i32.eq (local.get $byte) (i32.const 92))
          (then
            ;; An escape: "\n" ends a line; any other escape is one character of a line.
            (local.set $next (call $byte (i32.add (local.get $at) (i32.const 1)) (local.get $length)))
            (local.set $at (i32.add (local.get $at)
              (select (i32.const 6) (i32.const 2) (i32.eq (local.get $next) (i32.const 117)))))
            (local.set $line_start (i32.eq (local.get $next) (i32.const 110)))
            (br $scan)))
        (if (local.get $line_start)
          (then
            (if (i32.eq (local.get $byte) (i32.const 43))
              (then
                (if (i32.eq (i32.load (i32.add (global.get $input) (local.get $at))) (i32.const 0x202b2b2b))
                  (then (local.set $files (i32.add (local.get $files) (i32.const 1))))
                  (else (local.set $added (i32.add (local.get $added) (i32.const 1)))))))
            (if (i32.eq (local.get $byte) (i32.const 45))
              (then
                (if (i32.ne (i32.load (i32.add (global.get $input) (local.get $at))) (i32.const 0x202d2d2d))
                  (then (local.set $removed (i32.add (local.get $removed) (i32.const 1)))))))))
        (local.set $line_start (i32.const 0))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $scan)))
    (call $append (i32.const 80) (i32.const 34))
    (if (i32.gt_u (i32.add (local.get $added) (local.get $removed)) (i32.const 400))
      (then (call $append (i32.const 184) (i32.const 6)))
      (else (call $append (i32.const 176) (i32.const 4))))
    (call $append (i32.const 128) (i32.const 13))
    (call $append_number (local.get $files))
    (call $append (i32.const 144) (i32.const 11))
    (call $append_number (local.get $added))
    (call $append (i32.const 160) (i32.const 2))
    (call $append_number (local.get $removed))
    (call $append (i32.const 168) (i32.const 3))
    (call $write (i32.const 1) (i32.const 512) (i32.sub (global.get $out) (i32.const 512)))))
