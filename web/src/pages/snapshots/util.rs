//! Number formatting for the snapshot pages.

/// `1234567` → `1,234,567`.
pub fn fmt_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Bytes in binary units: `4096` → `4 KiB`, `28672` → `28 KiB`, `1.5 GiB`.
pub fn fmt_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 || (v - v.round()).abs() < 0.05 {
        format!("{} {}", v.round() as u64, UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// US dollars with cents (four decimals below one cent so small figures do not read as zero).
pub fn fmt_usd(v: f64) -> String {
    if v != 0.0 && v.abs() < 0.01 {
        format!("${v:.4}")
    } else {
        format!("${v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_the_console() {
        assert_eq!(fmt_count(0), "0");
        assert_eq!(fmt_count(1000), "1,000");
        assert_eq!(fmt_count(10485760), "10,485,760");
        assert_eq!(fmt_bytes(0), "0 B");
        assert_eq!(fmt_bytes(28672), "28 KiB");
        assert_eq!(fmt_bytes(3 << 29), "1.5 GiB");
        assert_eq!(fmt_usd(0.0), "$0.00");
        assert_eq!(fmt_usd(0.0004), "$0.0004");
        assert_eq!(fmt_usd(12.5), "$12.50");
    }
}
