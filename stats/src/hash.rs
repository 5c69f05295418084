//! The one stable hash of the project: 64-bit FNV-1a over bytes, and a SplitMix64 finaliser to derive a
//! seed or a choice from (seed, id).
//!
//! Stable means the same number on every platform, every Rust release and every run: unlike
//! `std::hash`, which may change and is randomly keyed in `HashMap`, these numbers may be written into
//! files (a data set's fingerprint) and name random streams. Changing either function changes published
//! results, so the tests pin their values.

/// FNV-1a's 64-bit offset basis (Fowler, Noll and Vo; IETF draft-eastlake-fnv).
const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a's 64-bit prime, 2^40 + 2^8 + 0xb3.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
/// 2^64 / golden ratio, SplitMix64's increment.
pub const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The 64-bit FNV-1a hash of `bytes`; a `const fn`, so a hash of a name can be a constant.
///
/// ```
/// use ucodts_stats::hash::fnv1a;
/// const BLOCK_TIME: u64 = fnv1a(b"block_time");
/// assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
/// assert_ne!(BLOCK_TIME, fnv1a(b"turn_time"));
/// ```
pub const fn fnv1a(bytes: &[u8]) -> u64 {
    Fnv1a::new().write(bytes).finish()
}

/// FNV-1a fed piece by piece: hashing `a` then `b` gives the hash of their concatenation.
///
/// ```
/// use ucodts_stats::hash::{fnv1a, Fnv1a};
/// let pieces = Fnv1a::new().write(b"JFK").write(&1234u32.to_le_bytes()).finish();
/// assert_eq!(pieces, fnv1a(&[b'J', b'F', b'K', 0xd2, 0x04, 0, 0]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fnv1a(u64);

impl Fnv1a {
    /// Nothing hashed yet.
    pub const fn new() -> Fnv1a {
        Fnv1a(FNV_OFFSET_BASIS)
    }

    /// The state after also hashing `bytes`.
    #[must_use = "write returns the new state; the old one is unchanged"]
    pub const fn write(self, bytes: &[u8]) -> Fnv1a {
        let mut hash = self.0;
        let mut i = 0;
        while i < bytes.len() {
            hash ^= bytes[i] as u64;
            hash = hash.wrapping_mul(FNV_PRIME);
            i += 1;
        }
        Fnv1a(hash)
    }

    /// The hash of everything written.
    pub const fn finish(self) -> u64 {
        self.0
    }
}

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a::new()
    }
}

/// The SplitMix64 output function (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number
/// generators"): a bijection on `u64` in which every input bit changes every output bit with
/// probability about one half.
pub const fn splitmix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A number derived from a seed and an id: FNV-1a of `bytes`, xored with the seed spread by the golden
/// gamma, through [`splitmix64`]. For choices that must follow the run's seed and nothing else ("is
/// crew member C042 the one who calls in sick?"): another seed gives an unrelated number, the same seed
/// the same one on every platform.
///
/// ```
/// use ucodts_stats::hash::mix;
/// assert_eq!(mix(7, b"B6-JFK-CA-0038"), mix(7, b"B6-JFK-CA-0038"));
/// assert_ne!(mix(1, b"C042"), mix(2, b"C042"));
/// ```
pub const fn mix(seed: u64, bytes: &[u8]) -> u64 {
    splitmix64(fnv1a(bytes) ^ seed.wrapping_mul(GOLDEN_GAMMA))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference test suite (draft-eastlake-fnv, fnv64a).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fnv1a_and_mix_can_be_constants() {
        const NAME: u64 = fnv1a(b"sick_call");
        const CHOICE: u64 = mix(1, b"C042");
        assert_eq!(NAME, fnv1a("sick_call".as_bytes()));
        assert_eq!(CHOICE, mix(1, b"C042"));
    }

    #[test]
    fn mix_and_splitmix64_are_fixed_across_releases() {
        // Pinned: a change here silently changes which crew member a seed makes sick.
        assert_eq!(splitmix64(0), 0);
        assert_eq!(splitmix64(GOLDEN_GAMMA), 0xe220_a839_7b1d_cdaf);
        assert_eq!(mix(0, b""), splitmix64(0xcbf2_9ce4_8422_2325));
        assert_eq!(mix(7, b"B6-JFK-CA-0038"), PINNED_MIX);
    }

    /// The sick-crew pick's own copy of this function (workflows/src/recovery/crew_side.rs) gives this, and
    /// so does the same arithmetic in Python.
    const PINNED_MIX: u64 = 0x5a29_f546_35e3_80d7;

    proptest! {
        #[test]
        fn hashing_in_pieces_is_hashing_the_whole(a in prop::collection::vec(any::<u8>(), 0..64),
                                                  b in prop::collection::vec(any::<u8>(), 0..64)) {
            let whole: Vec<u8> = a.iter().chain(&b).copied().collect();
            prop_assert_eq!(Fnv1a::new().write(&a).write(&b).finish(), fnv1a(&whole));
        }
    }
}
