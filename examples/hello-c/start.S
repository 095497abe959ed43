# Entry point of the C example guest: set up gp and sp, call main, halt with its return value.
    .section .text.init, "ax"
    .global _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    call main
    li t0, 0          # HALT, exit code in a0 (main's return value)
    li a7, 93         # Linux exit, for qemu-riscv32
    ecall
1:  j 1b
