//! Runs `n` rounds of a xorshift generator folded in with an FNV-style multiply, where `n` is the private input
//! as ASCII decimal (e.g. `1000000`). About 10 instructions per round, so the cycle count is
//! chosen by the input: the benchmark guest. Prints and commits the final value (4 bytes, LE).
#![no_std]
#![no_main]

zkvm_guest::entry!(main);

fn parse_decimal(bytes: &[u8]) -> Option<u32> {
    let digits = bytes.trim_ascii();
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &c| {
        if c.is_ascii_digit() { n.checked_mul(10)?.checked_add(u32::from(c - b'0')) } else { None }
    })
}

fn main() {
    let mut text = [0u8; 32];
    let len = zkvm_guest::read(&mut text);
    let Some(rounds) = parse_decimal(&text[..len]) else {
        zkvm_guest::eprintln!("loop: input must be a decimal round count");
        zkvm_guest::exit(1);
    };
    let mut x: u32 = 0x9e37_79b9;
    let mut acc: u32 = 0;
    for i in 0..rounds {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        acc = (acc ^ x ^ i).wrapping_mul(0x0100_0193);
    }
    zkvm_guest::println!("loop: {rounds} rounds, result {acc:#010x}");
    zkvm_guest::commit(&acc.to_le_bytes());
}
