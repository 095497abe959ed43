/* C example guest: reads its input, prints its length and CRC-32 on stdout, and commits the
 * CRC-32 (4 bytes, little-endian) as public output. No libc: the calls it needs are made
 * directly with the machine's guest ABI. */
#include <stddef.h>
#include <stdint.h>

enum { CALL_HALT = 0, CALL_WRITE = 1, CALL_READ_WORD = 2, CALL_INPUT_LENGTH = 3, CALL_COMMIT = 4 };
enum { FD_STDOUT = 1 };

static uint32_t zkvm_call(uint32_t call, uint32_t linux_nr, uint32_t a0, uint32_t a1, uint32_t a2) {
    register uint32_t t0 __asm__("t0") = call;
    register uint32_t a7 __asm__("a7") = linux_nr;
    register uint32_t r0 __asm__("a0") = a0;
    register uint32_t r1 __asm__("a1") = a1;
    register uint32_t r2 __asm__("a2") = a2;
    __asm__ volatile("ecall" : "+r"(r0) : "r"(t0), "r"(a7), "r"(r1), "r"(r2) : "memory");
    return r0;
}

static void write_bytes(uint32_t fd, const void *data, size_t len) {
    zkvm_call(CALL_WRITE, 64, fd, (uint32_t)(uintptr_t)data, (uint32_t)len);
}

/* Reads the whole input (at most `capacity` bytes) a word at a time; returns its length. */
static size_t read_input(uint8_t *buffer, size_t capacity) {
    size_t len = zkvm_call(CALL_INPUT_LENGTH, 0, 0, 0, 0);
    if (len > capacity) len = capacity;
    for (size_t i = 0; i < len; i += 4) {
        uint32_t word = zkvm_call(CALL_READ_WORD, 0, 0, 0, 0);
        for (size_t k = 0; k < 4 && i + k < len; k++) buffer[i + k] = (uint8_t)(word >> (8 * k));
    }
    return len;
}

static void commit_bytes(const uint8_t *data, size_t len) {
    for (size_t i = 0; i < len; i++) zkvm_call(CALL_COMMIT, 0, data[i], 0, 0);
}

static void print(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    write_bytes(FD_STDOUT, s, n);
}

static void print_decimal(uint32_t value) {
    char digits[11];
    int i = sizeof digits;
    digits[--i] = 0;
    do {
        digits[--i] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    print(&digits[i]);
}

static void print_hex(uint32_t value) {
    char digits[9];
    for (int i = 7; i >= 0; i--) {
        digits[i] = "0123456789abcdef"[value & 15];
        value >>= 4;
    }
    digits[8] = 0;
    print(digits);
}

/* CRC-32 (IEEE 802.3, reflected, as zlib computes it), bit by bit. */
static uint32_t crc32(const uint8_t *data, size_t len) {
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static uint8_t input[1 << 16];

int main(void) {
    size_t len = read_input(input, sizeof input);
    uint32_t crc = crc32(input, len);
    print("hello from C: ");
    print_decimal((uint32_t)len);
    print(" bytes, crc32 ");
    print_hex(crc);
    print("\n");
    uint8_t committed[4] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16), (uint8_t)(crc >> 24)};
    commit_bytes(committed, sizeof committed);
    return 0;
}
