//! A per-client token bucket for the public endpoints: `N` requests a minute, in bursts of
//! up to `N`. Clients are keyed by IP address (an IPv6 client by its /64, which one
//! household or server usually holds whole). The map is bounded: when full, clients whose
//! bucket has refilled are forgotten first, then the least recently seen.

use axum::extract::{ConnectInfo, Request};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

/// Most clients tracked at once.
const MAX_CLIENTS: usize = 50_000;

pub(crate) struct RateLimiter {
    per_minute: f64,
    clients: Mutex<HashMap<IpAddr, Bucket>>,
    max_clients: usize,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    pub(crate) fn new(per_minute: u32) -> RateLimiter {
        RateLimiter::with_capacity(per_minute, MAX_CLIENTS)
    }

    fn with_capacity(per_minute: u32, max_clients: usize) -> RateLimiter {
        RateLimiter {
            per_minute: f64::from(per_minute.max(1)),
            clients: Mutex::new(HashMap::new()),
            max_clients: max_clients.max(1),
        }
    }

    fn refilled(&self, b: Bucket, now: Instant) -> f64 {
        let secs = now.saturating_duration_since(b.at).as_secs_f64();
        (b.tokens + secs * self.per_minute / 60.0).min(self.per_minute)
    }

    /// Takes one request from `ip`'s bucket; `Err(seconds)` to wait when it is empty.
    pub(crate) fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.check_at(ip, Instant::now())
    }

    fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        let key = client_key(ip);
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if !clients.contains_key(&key) && clients.len() >= self.max_clients {
            self.make_room(&mut clients, now);
        }
        let bucket = clients.entry(key).or_insert(Bucket {
            tokens: self.per_minute,
            at: now,
        });
        let tokens = self.refilled(*bucket, now);
        if tokens >= 1.0 {
            *bucket = Bucket {
                tokens: tokens - 1.0,
                at: now,
            };
            Ok(())
        } else {
            *bucket = Bucket { tokens, at: now };
            let wait = (1.0 - tokens) * 60.0 / self.per_minute;
            Err(wait.ceil().max(1.0) as u64)
        }
    }

    fn make_room(&self, clients: &mut HashMap<IpAddr, Bucket>, now: Instant) {
        // A full bucket is the same as a client never seen.
        clients.retain(|_, b| self.refilled(*b, now) < self.per_minute);
        if clients.len() >= self.max_clients {
            // Still full: forget the least recently seen tenth.
            let mut seen: Vec<(Instant, IpAddr)> =
                clients.iter().map(|(k, b)| (b.at, *k)).collect();
            seen.sort_unstable();
            let drop = (self.max_clients / 10).max(1);
            for (_, k) in seen.into_iter().take(drop) {
                clients.remove(&k);
            }
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.clients.lock().map(|c| c.len()).unwrap_or(0)
    }
}

/// IPv4 as is (also when mapped into IPv6); IPv6 by its /64.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The client's address: the TCP peer (no proxy header is trusted). In-process tests
/// without one share a single key.
pub(crate) fn client_ip(req: &Request) -> IpAddr {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn bucket_allows_a_burst_then_refills() {
        let rl = RateLimiter::new(3);
        let t0 = Instant::now();
        let a = ip("192.0.2.1");
        assert!(rl.check_at(a, t0).is_ok());
        assert!(rl.check_at(a, t0).is_ok());
        assert!(rl.check_at(a, t0).is_ok());
        assert_eq!(rl.check_at(a, t0), Err(20), "one token every 20 s");
        assert!(
            rl.check_at(ip("192.0.2.2"), t0).is_ok(),
            "other clients unaffected"
        );
        assert!(rl.check_at(a, t0 + Duration::from_secs(20)).is_ok());
        assert!(rl.check_at(a, t0 + Duration::from_secs(21)).is_err());
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let rl = RateLimiter::new(1);
        let t0 = Instant::now();
        assert!(rl.check_at(ip("2001:db8:1:2::1"), t0).is_ok());
        assert!(rl.check_at(ip("2001:db8:1:2:ffff::9"), t0).is_err());
        assert!(rl.check_at(ip("2001:db8:1:3::1"), t0).is_ok());
        assert!(rl.check_at(ip("::ffff:192.0.2.7"), t0).is_ok());
        assert!(
            rl.check_at(ip("192.0.2.7"), t0).is_err(),
            "mapped v4 is the v4 client"
        );
    }

    #[test]
    fn the_map_stays_bounded() {
        let rl = RateLimiter::with_capacity(5, 100);
        let t0 = Instant::now();
        for i in 0..1000u32 {
            let a = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
            let _ = rl.check_at(a, t0 + Duration::from_millis(u64::from(i)));
            assert!(rl.tracked() <= 100);
        }
    }
}
