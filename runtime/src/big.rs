//! Arbitrary-precision numbers (`bigInteger`, `bigDecimal`), kept as validated text.

use std::fmt;
use std::str::FromStr;

/// The error of [`BigInteger::from_str`] and [`BigDecimal::from_str`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseBigError;

impl fmt::Display for ParseBigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a valid number")
    }
}

impl std::error::Error for ParseBigError {}

/// Skips ASCII digits from `i`, returning the new position.
fn skip_digits(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// Skips an optional `+` or `-` at `i`.
fn skip_sign(b: &[u8], i: usize) -> usize {
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i + 1
    } else {
        i
    }
}

/// `[+-]?[0-9]+`
fn is_integer(s: &str) -> bool {
    let b = s.as_bytes();
    let start = skip_sign(b, 0);
    let end = skip_digits(b, start);
    end > start && end == b.len()
}

/// `[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?`
fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let start = skip_sign(b, 0);
    let mut i = skip_digits(b, start);
    let mut digits = i - start;
    if b.get(i) == Some(&b'.') {
        let frac_start = i + 1;
        i = skip_digits(b, frac_start);
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let exp_start = skip_sign(b, i + 1);
        i = skip_digits(b, exp_start);
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// A decimal value reduced to `sign`, significant digits (no leading or
/// trailing zeros) and the exponent `e` such that value = 0.DIGITS × 10^e.
/// Zero has no digits. `None` when the exponent does not fit.
pub(crate) fn normalize_decimal(s: &str) -> Option<(bool, String, i64)> {
    if !is_decimal(s) {
        return None;
    }
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(pos) => (rest.get(..pos)?, rest.get(pos + 1..)?.parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(pos) => (mantissa.get(..pos)?, mantissa.get(pos + 1..)?),
        None => (mantissa, ""),
    };
    let all: String = int_part.chars().chain(frac_part.chars()).collect();
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all
        .trim_start_matches('0')
        .trim_end_matches('0')
        .to_string();
    if digits.is_empty() {
        return Some((false, digits, 0));
    }
    let int_len = i64::try_from(int_part.len()).ok()?;
    let leading = i64::try_from(leading).ok()?;
    let e = exponent.checked_add(int_len)?.checked_sub(leading)?;
    Some((negative, digits, e))
}

macro_rules! big_type {
    ($(#[$doc:meta])* $name:ident, $check:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Validates `text` as ", $what, "; `None` when it is not one.")]
            pub fn new(text: &str) -> Option<Self> {
                $check(text).then(|| $name(text.to_string()))
            }

            /// The number as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name("0".to_string())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = ParseBigError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::new(s).ok_or(ParseBigError)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

big_type!(
    /// An integer of any size: an optional sign followed by decimal digits.
    BigInteger,
    is_integer,
    "an integer (optional sign, then digits)"
);

big_type!(
    /// A decimal number of any size and precision: an optional sign, digits
    /// with an optional fraction, and an optional exponent (`-12.5e-3`).
    BigDecimal,
    is_decimal,
    "a decimal number (optional sign, digits, fraction and exponent)"
);

impl From<i64> for BigInteger {
    fn from(v: i64) -> Self {
        BigInteger(v.to_string())
    }
}

impl From<u64> for BigInteger {
    fn from(v: u64) -> Self {
        BigInteger(v.to_string())
    }
}

impl From<BigInteger> for BigDecimal {
    fn from(v: BigInteger) -> Self {
        BigDecimal(v.0)
    }
}

/// The JSON number that holds exactly the value of `s` (an integer or
/// decimal in the syntax above), if there is one.
pub(crate) fn exact_json_number(s: &str) -> Option<serde_json::Number> {
    if is_integer(s) {
        let unsigned = s.strip_prefix('+').unwrap_or(s);
        if let Ok(v) = unsigned.parse::<u64>() {
            return Some(v.into());
        }
        if let Ok(v) = unsigned.parse::<i64>() {
            return Some(v.into());
        }
        return None;
    }
    let wanted = normalize_decimal(s)?;
    let float = s.parse::<f64>().ok().filter(|f| f.is_finite())?;
    let number = serde_json::Number::from_f64(float)?;
    let written = normalize_decimal(&number.to_string())?;
    let same = wanted == written || (wanted.1.is_empty() && written.1.is_empty());
    same.then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        for ok in ["0", "-1", "+42", "123456789012345678901234567890", "007"] {
            assert_eq!(
                BigInteger::new(ok).map(|b| b.to_string()),
                Some(ok.to_string())
            );
        }
        for bad in ["", "-", "+", "1.0", "1e3", " 1", "1 ", "0x10", "--1", "١"] {
            assert_eq!(BigInteger::new(bad), None, "{bad}");
        }
        assert_eq!(
            "12".parse::<BigInteger>().map(|b| b.as_str().to_string()),
            Ok("12".into())
        );
        assert_eq!("x".parse::<BigInteger>(), Err(ParseBigError));
        assert_eq!(BigInteger::default().as_str(), "0");
    }

    #[test]
    fn decimals() {
        for ok in [
            "0",
            "-1.5",
            "+.5",
            "5.",
            "1e10",
            "1.25E-7",
            "-0.0e+0",
            "123456789.987654321",
        ] {
            assert!(BigDecimal::new(ok).is_some(), "{ok}");
        }
        for bad in [
            "", ".", "-.", "e5", "1e", "1e+", "1.2.3", "NaN", "Infinity", "1_000", "1 ",
        ] {
            assert_eq!(BigDecimal::new(bad), None, "{bad}");
        }
        assert_eq!(BigDecimal::default().to_string(), "0");
    }

    #[test]
    fn normalizing() {
        assert_eq!(normalize_decimal("1.50"), Some((false, "15".into(), 1)));
        assert_eq!(normalize_decimal("0.015e2"), Some((false, "15".into(), 1)));
        assert_eq!(normalize_decimal("-150"), Some((true, "15".into(), 3)));
        assert_eq!(normalize_decimal("0.000"), Some((false, "".into(), 0)));
        assert_eq!(normalize_decimal("1e99999999999999999999"), None);
        assert_eq!(normalize_decimal("1e9223372036854775807"), None);
    }

    #[test]
    fn json_numbers() {
        assert_eq!(
            exact_json_number("18446744073709551615"),
            Some(u64::MAX.into())
        );
        assert_eq!(
            exact_json_number("-9223372036854775808"),
            Some(i64::MIN.into())
        );
        assert_eq!(exact_json_number("18446744073709551616"), None);
        assert_eq!(
            exact_json_number("1.5").map(|n| n.to_string()),
            Some("1.5".into())
        );
        assert_eq!(
            exact_json_number("0.1").map(|n| n.to_string()),
            Some("0.1".into())
        );
        assert_eq!(exact_json_number("0.10000000000000000000001"), None);
        assert_eq!(exact_json_number("1e400"), None);
        assert_eq!(
            exact_json_number("-0.0").map(|n| n.as_f64()),
            Some(Some(0.0))
        );
    }
}
