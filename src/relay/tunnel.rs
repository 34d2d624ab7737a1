//! A tunnel: after CONNECT's 200, or an Upgrade's 101, the bytes are no longer HTTP/1.x
//! and pass both ways as they come, counted, until both sides close or neither sends a
//! byte for the idle timeout.

use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::inbound::{Inbound, READ_SIZE};

/// What passed through a tunnel.
pub(super) struct Counts {
    pub(super) up: u64,
    pub(super) down: u64,
    pub(super) lasted: Duration,
}

/// Copy both ways until both directions are closed, one fails, or nothing moves for
/// `idle`. Bytes already read into either side's buffer go first.
pub(super) async fn run<CR, CW, UR, UW>(
    client: &mut Inbound<CR>,
    client_w: &mut CW,
    upstream: &mut Inbound<UR>,
    upstream_w: &mut UW,
    idle: Duration,
) -> Counts
where
    CR: AsyncRead + Unpin,
    CW: AsyncWrite + Unpin + Send,
    UR: AsyncRead + Unpin,
    UW: AsyncWrite + Unpin + Send,
{
    let began = Instant::now();
    let mut counts = Counts {
        up: 0,
        down: 0,
        lasted: Duration::ZERO,
    };
    let early_up = client.take_all();
    let early_down = upstream.take_all();
    counts.up += early_up.len() as u64;
    counts.down += early_down.len() as u64;
    if upstream_w.write_all(&early_up).await.is_err()
        || client_w.write_all(&early_down).await.is_err()
    {
        counts.lasted = began.elapsed();
        return counts;
    }
    let (mut a, mut b) = (vec![0u8; READ_SIZE], vec![0u8; READ_SIZE]);
    let (mut up_open, mut down_open) = (!client.eof, !upstream.eof);
    while up_open || down_open {
        let step = tokio::time::timeout(idle, async {
            tokio::select! {
                read = client.half.read(&mut a), if up_open => (true, read),
                read = upstream.half.read(&mut b), if down_open => (false, read),
            }
        })
        .await;
        let Ok((from_client, read)) = step else {
            break;
        };
        let (buf, to, open, count): (&[u8], &mut (dyn AsyncWrite + Unpin + Send), _, _) =
            if from_client {
                (&a, upstream_w, &mut up_open, &mut counts.up)
            } else {
                (&b, client_w, &mut down_open, &mut counts.down)
            };
        match read {
            Ok(0) | Err(_) => {
                // One side is done sending: tell the other, and go on the other way.
                *open = false;
                let _ = to.shutdown().await;
            }
            Ok(n) => {
                *count += n as u64;
                let wrote = tokio::time::timeout(idle, to.write_all(&buf[..n])).await;
                if !matches!(wrote, Ok(Ok(()))) {
                    break;
                }
            }
        }
    }
    counts.lasted = began.elapsed();
    counts
}
