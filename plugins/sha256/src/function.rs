//! SHA-256's compression function on native words, and the per-round values the chip's rows
//! hold.

/// The round constants.
pub const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

pub(crate) fn big_sigma0(x: u32) -> u32 {
    x.rotate_right(2) ^ x.rotate_right(13) ^ x.rotate_right(22)
}

pub(crate) fn big_sigma1(x: u32) -> u32 {
    x.rotate_right(6) ^ x.rotate_right(11) ^ x.rotate_right(25)
}

pub(crate) fn small_sigma0(x: u32) -> u32 {
    x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3)
}

pub(crate) fn small_sigma1(x: u32) -> u32 {
    x.rotate_right(17) ^ x.rotate_right(19) ^ (x >> 10)
}

/// The message schedule extended to 80 words (the chip computes a next word on every row).
pub(crate) fn schedule(block: &[u32]) -> [u32; 80] {
    let mut w = [0u32; 80];
    w[..16].copy_from_slice(&block[..16]);
    for t in 16..80 {
        w[t] = small_sigma1(w[t - 2])
            .wrapping_add(w[t - 7])
            .wrapping_add(small_sigma0(w[t - 15]))
            .wrapping_add(w[t - 16]);
    }
    w
}

/// What one round's row holds: the working variables before it (`a..d` as `window_a`, `e..h` as
/// `window_e`), and the new `a` and `e`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Round {
    pub window_a: [u32; 4],
    pub window_e: [u32; 4],
    pub new_a: u32,
    pub new_e: u32,
}

/// The 64 rounds of compressing `block` into `state`.
pub(crate) fn rounds(state: &[u32], block: &[u32]) -> Vec<Round> {
    let w = schedule(block);
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = [0, 1, 2, 3, 4, 5, 6, 7].map(|i| state[i]);
    let mut rounds = Vec::with_capacity(64);
    for t in 0..64 {
        let choose = (e & f) ^ (!e & g);
        let majority = (a & b) ^ (a & c) ^ (b & c);
        let t1 = h.wrapping_add(big_sigma1(e)).wrapping_add(choose).wrapping_add(K[t]).wrapping_add(w[t]);
        let t2 = big_sigma0(a).wrapping_add(majority);
        let (new_a, new_e) = (t1.wrapping_add(t2), d.wrapping_add(t1));
        rounds.push(Round { window_a: [a, b, c, d], window_e: [e, f, g, h], new_a, new_e });
        (h, g, f, e, d, c, b, a) = (g, f, e, new_e, c, b, a, new_a);
    }
    rounds
}

/// SHA-256's compression: `input` is the state (8 words) then the block (16 words, as the
/// big-endian message words); returns the new state then the block unchanged.
pub fn compress(input: &[u32]) -> Vec<u32> {
    let last = rounds(&input[..8], &input[8..24])[63];
    let finals = [
        last.new_a,
        last.window_a[0],
        last.window_a[1],
        last.window_a[2],
        last.new_e,
        last.window_e[0],
        last.window_e[1],
        last.window_e[2],
    ];
    let mut output: Vec<u32> = (0..8).map(|i| input[i].wrapping_add(finals[i])).collect();
    output.extend_from_slice(&input[8..24]);
    output
}
