//! A small seeded generator (xorshift64*): enough for token strings and fault probabilities, and
//! deterministic, so a test that seeds it sees the same run every time.

/// A xorshift64* generator.
#[derive(Debug, Clone)]
pub struct XorShift {
    state: u64,
}

impl XorShift {
    /// A generator from a seed (a zero seed is replaced, xorshift cannot leave zero).
    pub fn new(seed: u64) -> Self {
        // SplitMix64's finaliser spreads close seeds (1, 2, 3) apart.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self {
            state: if z == 0 { 0x2545_F491_4F6C_DD1D } else { z },
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A uniform number in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        // The top 53 bits make an exact double in [0, 1).
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::XorShift;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let mut a = XorShift::new(7);
        let mut b = XorShift::new(7);
        let first: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let second: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(first, second);
        assert!((0..1000).all(|_| (0.0..1.0).contains(&a.next_f64())));
    }
}
