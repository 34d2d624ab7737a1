//! A real nginx for the tests that talk to one (`send`, `relay`): its own prefix
//! directory, the configuration every test needs around its own `server` blocks, started
//! once each of its ports accepts, stopped on drop.

use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NGINX: &str = "/usr/sbin/nginx";
const WAIT: Duration = Duration::from_secs(10);

/// A running nginx, stopped on drop.
pub struct Nginx {
    child: Child,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// Start nginx in `dir` (its prefix) with `http` (the `server` blocks and whatever
    /// else goes in `http { }`) after the common lines, and wait until each of `ports`
    /// accepts connections.
    pub fn start(dir: tempfile::TempDir, http: &str, ports: &[u16]) -> Nginx {
        let p = dir.path().display().to_string();
        let conf = format!(
            "daemon off;\nmaster_process off;\npid {p}/nginx.pid;\nerror_log {p}/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {p}/body;\n\
               proxy_temp_path {p}/proxy;\n  fastcgi_temp_path {p}/fastcgi;\n\
               uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n{http}}}\n"
        );
        std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
        let child = Command::new(NGINX)
            .args(["-p", &p, "-c", &format!("{p}/nginx.conf"), "-e"])
            .arg(format!("{p}/error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting /usr/sbin/nginx (installed by .ci/run)");
        let mut nginx = Nginx { child, dir };
        nginx.wait_ready(ports);
        nginx
    }

    /// Its prefix directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Connect until every port accepts, for at most [`WAIT`].
    fn wait_ready(&mut self, ports: &[u16]) {
        let deadline = Instant::now() + WAIT;
        for &port in ports {
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                if let Some(status) = self.child.try_wait().unwrap() {
                    let log = std::fs::read_to_string(self.dir().join("error.log"));
                    panic!("nginx exited ({status}): {log:?}");
                }
                assert!(Instant::now() < deadline, "nginx did not start");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
