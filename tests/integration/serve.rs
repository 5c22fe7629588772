//! `mbc serve` over a real socket: the server is started on an ephemeral port, as a person
//! would start it, and asked what the page and the programs around it ask.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::helper::{DATED_ONLY_DOC, Workspace};

/// A running `mbc serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    log: Arc<Mutex<Vec<String>>>,
    agent: ureq::Agent,
}

/// One HTTP answer.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Server {
    pub fn start(ws: &Workspace) -> Server {
        Server::start_with(ws, &[])
    }

    /// Starts the server with more flags.
    pub fn start_with(ws: &Workspace, flags: &[&str]) -> Server {
        Server::start_as(ws, &[&["serve", "--addr", "127.0.0.1:0"], flags].concat())
    }

    /// Starts the server with the command line `args` (`serve` and its flags).
    fn start_as(ws: &Workspace, args: &[&str]) -> Server {
        let mut child = ws
            .command(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mbc serve starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (found, address) = mpsc::channel();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split(" on http://").nth(1) {
                    let _ = found.send(rest.split('/').next().unwrap_or_default().to_string());
                }
                lines.lock().unwrap().push(line);
            }
        });
        let addr = address
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("the server did not start: {:?}", log.lock().unwrap()));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Server {
            child,
            addr,
            log,
            agent,
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    /// A GET with extra request headers.
    fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(&format!("http://{}{path}", self.addr));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.call().unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect();
        Reply {
            status: response.status().as_u16(),
            headers,
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    /// Sends a GET of `target` as it is, for requests an HTTP client library would refuse to
    /// make; returns the status.
    fn raw_status(&self, target: &str) -> u16 {
        let reply = self.raw("GET", target, &[]);
        reply
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line: {reply}"))
    }

    /// Sends a request with `method` and extra `headers` as it is; returns the whole answer,
    /// status line and headers included, lower-cased.
    fn raw(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> String {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let extra: String = headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}\r\n"))
            .collect();
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\n{extra}Connection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        reply.to_lowercase()
    }

    /// Stops the server as a service manager would (SIGTERM) and returns how it ended and its
    /// log.
    fn stop(mut self) -> (ExitStatus, Vec<String>) {
        // SAFETY: kill(2) on our own child's pid has no memory effects.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        (status, self.log.lock().unwrap().clone())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_api_answers_a_search_as_the_cli_does() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let reply = server.get("/api/search?q=zoledronic");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["schema_version"], 2);
    assert!(
        json["notice"]
            .as_str()
            .unwrap()
            .contains("not medical advice")
    );

    let cli = ws
        .mbc(&["search", "zoledronic", "--format", "json"])
        .ok()
        .json();
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["passages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["passage_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!ids(&json).is_empty());
    assert_eq!(ids(&json), ids(&cli), "the same ranking as mbc search");

    for (name, value) in [
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
    ] {
        assert_eq!(reply.header(name), Some(value), "{name}");
    }
    let policy = reply.header("content-security-policy").unwrap();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(reply.header("access-control-allow-origin").is_none());
}

#[test]
fn passages_approaches_stats_and_health_answer() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let found = server.get("/api/search?q=radiation&limit=1").json();
    let id = found["passages"][0]["passage_id"].as_str().unwrap();

    let shown = server.get(&format!("/api/passages/{id}"));
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json()["passages"][0]["passage_id"], id);
    assert!(shown.json()["neighbours"].is_object());

    // An approach named twice is one filter (it was echoed twice).
    let twice = server.get("/api/search?q=radiation&approach=bone-directed,bone-directed");
    assert_eq!(
        twice.json()["approach_filter"],
        serde_json::json!(["bone-directed"])
    );
    let approaches = server.get("/api/approaches?per=1").json();
    assert!(!approaches["approaches"].as_array().unwrap().is_empty());
    // The page's overview takes `per` as the API does (it was ignored).
    let shown = |path: &str| {
        server
            .get(path)
            .body
            .matches("<article class=\"passage\"")
            .count()
    };
    assert!(shown("/approaches?per=1") < shown("/approaches"));
    // Nothing was searched in the overview: no word is marked ("kill", "given" were); and
    // chips name approaches as people read them, not by id.
    let overview = server.get("/approaches").body;
    assert!(!overview.contains("<mark>"), "{overview}");
    let results = server.get("/?q=radiation").body;
    assert!(
        results.contains(">Surgery and radiation<") && !results.contains(">local-treatment<"),
        "{results}"
    );
    // Each approach's passages sit one heading level below it (2026-12-05: all were h2).
    let under_approach = server.get("/approaches").body;
    assert!(
        under_approach.contains("<article class=\"passage\"><h3>")
            && !under_approach.contains("<article class=\"passage\"><h2>"),
        "{under_approach}"
    );
    assert_eq!(server.get("/approaches?per=0").status, 400);
    let stats = server.get("/api/stats").json();
    assert_eq!(stats["documents"], 2);
    // Its full path told anyone who could reach the server where it runs (2026-12-05).
    let corpus = stats["corpus"].as_str().unwrap();
    assert!(!corpus.contains('/') && !corpus.contains('\\'), "{corpus}");
    assert_eq!(server.get("/healthz").json()["status"], "ok");
}

#[test]
fn paging_with_offset_continues_the_ranking() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let all = server.get("/api/search?q=bone+pain&limit=3").json();
    let second = server
        .get("/api/search?q=bone+pain&limit=1&offset=1")
        .json();
    assert_eq!(
        second["passages"][0]["passage_id"],
        all["passages"][1]["passage_id"]
    );
    assert_eq!(second["passages"][0]["rank"], 2);
}

#[test]
fn the_page_pages_through_the_ranking_with_links_and_says_which_passages_it_shows() {
    // The second page said "10 of 50" and had no way to it or back.
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let total = server.get("/api/search?q=bone&limit=1").json()["total_hits"]
        .as_u64()
        .unwrap();
    assert!(total >= 2, "the fixture corpus has {total} bone passages");
    let first = server.get("/?q=bone&limit=1").body;
    assert!(
        first.contains(&format!("1 of {total} passages with a word of the search")),
        "{first}"
    );
    assert!(
        first.contains("rel=\"next\" href=\"/?q=bone&amp;limit=1&amp;offset=1\""),
        "{first}"
    );
    assert!(!first.contains("rel=\"prev\""), "{first}");
    let second = server.get("/?q=bone&limit=1&offset=1").body;
    assert!(
        second.contains(&format!("2 of {total} passages with")),
        "{second}"
    );
    assert!(
        second.contains("<ol class=\"results\" start=\"2\">"),
        "{second}"
    );
    assert!(
        second.contains("rel=\"prev\" href=\"/?q=bone&amp;limit=1\""),
        "{second}"
    );
    let all = server.get("/?q=bone").body;
    assert!(
        all.contains(&format!("1–{total} of {total} passages with")),
        "{all}"
    );
    assert!(!all.contains("rel=\"next\""), "{all}");
    let beyond = server.get(&format!("/?q=bone&offset={}", total + 5)).body;
    // The count says what it counts, as above the results ("matching passages" read as that
    // many answers).
    assert!(
        beyond.contains(&format!(
            "No more passages: all {total} passages with a word of the search"
        )) && !beyond.contains("Nothing in these texts is about"),
        "{beyond}"
    );
}

#[test]
fn every_bad_request_gets_a_json_error_with_a_fitting_status() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let long_query = format!("/api/search?q={}", "a".repeat(10_000));
    let cases: &[(&str, u16, &str)] = &[
        ("/api/search?q=", 400, "bad_request"),
        ("/api/search?q=bone&limit=100000", 400, "bad_request"),
        ("/api/search?q=bone&offset=-1", 400, "bad_request"),
        ("/api/search?q=bone&limit=abc", 400, "bad_request"),
        ("/api/search?q=bone&colour=red", 400, "bad_request"),
        (
            "/api/search?q=bone&approach=astrology",
            400,
            "unknown_approach",
        ),
        ("/api/search?q=bone&mode=semantic", 400, "bad_request"),
        ("/api/search?q=bone&mode=psychic", 400, "bad_request"),
        (&long_query, 414, "query_too_long"),
        ("/api/passages/0000000000000000", 404, "unknown_passage"),
        (
            "/api/passages/..%2F..%2Fetc%2Fpasswd",
            404,
            "unknown_passage",
        ),
        ("/api/nothing-here", 404, "not_found"),
        ("/api/approaches?per=0", 400, "bad_request"),
        // An id that is no UTF-8 was answered in plain text.
        ("/api/passages/%FF", 400, "bad_request"),
        // A query in Latin-1 ("café" as caf%E9) was searched as "caf", a word nobody typed.
        ("/api/search?q=caf%E9", 400, "bad_request"),
        ("/api/suggest?q=caf%E9", 400, "bad_request"),
        // A parameter these endpoints do not take was ignored in silence.
        ("/api/stats?q=bone", 400, "bad_request"),
        ("/healthz?verbose=1", 400, "bad_request"),
        // And these two took any (2026-12-05).
        ("/api/passages/0123456789abcdef?x=1", 400, "bad_request"),
        ("/api/openapi.json?x=1", 400, "bad_request"),
    ];
    // Messages name the mistake, not the parser ("invalid digit found in string").
    for (path, said) in [
        (
            "/api/search?q=bone&limit=abc",
            "limit must be a whole number",
        ),
        (
            "/api/search?q=bone&offset=-1",
            "offset must be a whole number",
        ),
        (
            "/api/search?q=bone&colour=red",
            "unknown parameter `colour`; the parameters are q,",
        ),
        // A whole number too long for any limit was "not a whole number"; two parameters were
        // "the one parameter is q or limit" (2026-12-05).
        (
            "/api/search?q=bone&offset=99999999999999999999999",
            "offset is too large: see the limits in /api/openapi.json",
        ),
        (
            "/api/suggest?q=tam&foo=1",
            "unknown parameter `foo`; the parameters are q and limit",
        ),
        (
            "/api/search?q=bone&exact=yes",
            "exact must be true or false",
        ),
        (
            "/api/approaches?per=2&limit=3",
            "unknown parameter `limit`; the one parameter is per",
        ),
        (
            "/api/stats?q=bone",
            "unknown parameter `q`; this address takes no parameters",
        ),
        (
            "/api/search?q=caf%E9",
            "q is not UTF-8 once percent-decoded",
        ),
    ] {
        let message = server.get(path).json()["error"]["message"].clone();
        assert!(
            message.as_str().unwrap().starts_with(said),
            "{path}: {message}"
        );
    }
    let page = server.get("/?q=bone&colour=red");
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("Unknown parameter `colour`"),
        "{}",
        page.body
    );
    // The page answered an id that is no UTF-8 in plain text; the handout said no such
    // passage (404) for one.
    for path in ["/passages/%FF", "/handout?id=%FF", "/?q=caf%E9"] {
        let odd = server.get(path);
        assert_eq!(odd.status, 400, "{path}");
        assert!(odd.header("content-type").unwrap().starts_with("text/html"));
    }
    for (path, status, kind) in cases {
        let reply = server.get(path);
        let shown = &path[..path.len().min(60)];
        assert_eq!(reply.status, *status, "{shown}: {}", reply.body);
        let json = reply.json();
        assert_eq!(json["error"]["kind"], *kind, "{shown}: {}", reply.body);
        assert_eq!(json["error"]["status"], *status, "{shown}");
        assert!(!json["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn a_method_other_than_get_gets_a_json_error() {
    // A POST was answered 405 with an empty body.
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let mut response = server
        .agent
        .post(&format!("http://{}/api/search?q=herceptin", server.addr))
        .send_empty()
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
    let allow = response.headers().get("allow").map(|v| v.to_str().unwrap());
    assert_eq!(allow, Some("GET, HEAD"));
    let body = response.body_mut().read_to_string().unwrap();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"]["kind"], "method_not_allowed", "{body}");
    assert_eq!(json["error"]["status"], 405);
    // The OpenAPI document's list of kinds names it (it did not, 2026-12-05).
    let openapi = server.get("/api/openapi.json").json();
    let kinds = &openapi["components"]["schemas"]["ApiErrorOut"]["properties"]["kind"];
    assert!(
        kinds["description"]
            .as_str()
            .is_some_and(|d| d.contains("`method_not_allowed`")),
        "{kinds}"
    );
    // An address that serves nothing is not found, whatever the method (a POST to it was
    // told to use GET).
    let response = server
        .agent
        .post(&format!("http://{}/api/nope", server.addr))
        .send_empty()
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
}

#[test]
fn hostile_queries_get_an_answer_never_a_server_error() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    for path in [
        "/api/search?q=%FF%FE%00",
        "/api/search?q=%00",
        "/api/search?q=-bone",
        "/api/search?q=%22unclosed",
        "/api/search?q=%3Cscript%3E",
        "/?q=%FF%00",
    ] {
        let reply = server.get(path);
        assert!(
            reply.status == 200 || reply.status == 400,
            "{path}: {} {}",
            reply.status,
            reply.body
        );
    }
    // A NUL was echoed into the page's title and search box (2026-12-05).
    for path in ["/api/search?q=tamoxifen%00", "/?q=tamoxifen%00"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 400, "{path}: {}", reply.body);
        assert!(reply.body.contains("control character"), "{}", reply.body);
    }
    // A 100 KB query is more than an HTTP request line may carry.
    let status = server.raw_status(&format!("/api/search?q={}", "a".repeat(100_000)));
    assert!(status == 414 || status == 400, "{status}");
    assert_eq!(server.get("/healthz").status, 200, "still serving");
}

#[test]
fn the_page_searches_shows_nothing_found_and_makes_a_handout() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let page = server.get("/?q=zoledronic");
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        page.body.contains("Bone health during treatment"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<mark>Zoledronic</mark>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("not medical advice"));
    assert!(page.body.contains("Reviewed 2026-11-27"));

    let dose = server.get("/?q=how+many+mg+of+zoledronic+acid");
    assert!(
        dose.body.contains("These texts give no doses"),
        "{}",
        dose.body
    );

    let nothing = server.get("/?q=xylophone");
    assert_eq!(nothing.status, 200);
    assert!(
        nothing
            .body
            .contains("Nothing in these texts is about “xylophone”"),
        "{}",
        nothing.body
    );
    let corrected = server.get("/?q=kilers");
    assert!(
        corrected
            .body
            .contains("Nothing in these texts is about “killers”"),
        "{}",
        corrected.body
    );
    // Narrowed to an approach, nothing found is nothing among its passages; the way back to
    // all passages keeps the mode (it dropped it).
    let narrowed = server.get("/?q=zoledronic&approach=immunotherapy&mode=lexical");
    assert!(
        narrowed
            .body
            .contains("No passage tagged Immunotherapy is about “zoledronic”")
            && narrowed
                .body
                .contains("href=\"/?q=zoledronic&amp;mode=lexical\"")
            && !narrowed.body.contains("Nothing in these texts"),
        "{}",
        narrowed.body
    );

    let ids: Vec<String> = server.get("/api/search?q=bone&limit=2").json()["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["passage_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    let handout = server.get(&format!("/handout?id={}&id={}", ids[0], ids[1]));
    assert_eq!(handout.status, 200, "{}", handout.body);
    assert!(handout.body.contains("Printed "), "{}", handout.body);
    assert!(handout.body.contains("not medical advice"));
    assert_eq!(handout.body.matches("class=\"passage\"").count(), 2);
    assert!(server.get("/style.css").body.contains("@media print"));

    // The review line speaks for the handout's passages, not for the corpus: it said "corpus
    // reviewed … or later" over a passage from a text never reviewed. A passage chosen twice
    // was printed twice.
    let first_of = |q: &str| {
        server.get(&format!("/api/search?q={q}&limit=1")).json()["passages"][0]["passage_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (bones, her2) = (first_of("zoledronic"), first_of("trastuzumab"));
    let reviewed = server.get(&format!("/handout?id={bones}&id={bones}"));
    assert_eq!(reviewed.body.matches("class=\"passage\"").count(), 1);
    assert!(
        reviewed
            .body
            .contains("Each passage is from a text reviewed on 2026-11-27 or later"),
        "{}",
        reviewed.body
    );
    let mixed = server.get(&format!("/handout?id={bones}&id={her2}"));
    assert!(
        mixed
            .body
            .contains("Some passages are from texts that are dated, not reviewed")
            && !mixed.body.contains("or later"),
        "{}",
        mixed.body
    );
    // A passage gone since it was chosen (its text edited, the index updated) is left out and
    // said to be; it was a 404 for the whole handout. With none left, the handout is a 404.
    let one_gone = server.get(&format!("/handout?id={bones}&id=0123456789abcdef"));
    assert_eq!(one_gone.status, 200, "{}", one_gone.body);
    assert_eq!(one_gone.body.matches("class=\"passage\"").count(), 1);
    assert!(
        one_gone
            .body
            .contains("Left out: 1 passage(s) chosen that are no longer"),
        "{}",
        one_gone.body
    );
    assert_eq!(server.get("/handout?id=0123456789abcdef").status, 404);
    // A session on the server (2026-12-05): an id chosen in capitals and in small letters was
    // printed twice, an empty id was "no passage with id ``", and passages beyond the most a
    // handout prints were left out without a word.
    let upper = bones.to_ascii_uppercase();
    let twice = server.get(&format!("/handout?id={upper}&id={bones}"));
    assert_eq!(twice.body.matches("class=\"passage\"").count(), 1);
    assert_eq!(server.get("/handout?id=").status, 400);
    let many: String = (0..101).map(|n| format!("&id={n:016x}")).collect();
    let too_many = server.get(&format!("/handout?id={bones}{many}"));
    assert!(
        too_many
            .body
            .contains("Left out: 2 passage(s) chosen beyond the 100 a handout prints"),
        "{}",
        too_many.body
    );
}

#[test]
fn a_query_with_nothing_to_search_keeps_the_box_and_says_what_to_change() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    for (path, typed) in [("/?q=hello", "hello"), ("/?q=-bone", "-bone")] {
        let page = server.get(path);
        assert_eq!(page.status, 400, "{path}");
        assert!(page.body.contains("Try other words"), "{}", page.body);
        assert!(!page.body.contains("Something went wrong"), "{}", page.body);
        assert!(
            page.body.contains(&format!("value=\"{typed}\"")),
            "{}",
            page.body
        );
    }
    // A setting of the address is no reason to try other words (mode=xyz was headed so), and
    // a mistake in the address is not something going wrong (limit=abc was).
    for path in [
        "/?q=bone&mode=xyz",
        "/?q=bone&approach=astrology",
        "/?q=bone&limit=abc",
    ] {
        let page = server.get(path);
        assert_eq!(page.status, 400, "{path}");
        assert!(
            page.body.contains("Check the address")
                && !page.body.contains("Try other words")
                && !page.body.contains("Something went wrong"),
            "{path}: {}",
            page.body
        );
    }
}

/// Text from the corpus is data. (A source address that is not http(s), such as
/// `javascript:`, is refused when the corpus is read, so it never reaches the page.)
#[test]
fn a_text_reviewed_more_than_a_year_ago_is_marked_on_the_page_and_its_handout() {
    let ws = Workspace::new();
    ws.write(
        "corpus/old.md",
        "+++\ntitle = \"Bone care in 2019\"\nlast_reviewed = 2019-03-01\nsources = [\"Fixture source, 2019.\"]\n+++\n\n## Zoledronic acid\n\nZoledronic acid protects bones weakened by cancer.\n",
    );
    let server = Server::start(&ws);
    let page = server.get("/?q=zoledronic");
    assert!(
        page.body
            .contains("Last reviewed 2019-03-01</strong>, more than a year ago"),
        "{}",
        page.body
    );
    let id = server.get("/api/search?q=zoledronic").json()["passages"][0]["passage_id"]
        .as_str()
        .unwrap()
        .to_string();
    let handout = server.get(&format!("/handout?id={id}"));
    assert!(
        !handout.body.contains("reviewed on 2019-03-01 or later")
            && handout.body.contains("last reviewed more than a year ago"),
        "{}",
        handout.body
    );
}

#[test]
fn text_from_the_corpus_is_escaped_in_the_page() {
    let ws = Workspace::new();
    ws.write(
        "corpus/hostile.md",
        "+++\ntitle = \"<script>alert('title')</script>\"\nsources = [\n  { organization = \"X\", title = \"Y\", year = 2026, url = \"https://example.org/?a=\\\"><script>alert('url')</script>\" },\n]\n+++\n\n## <b>Bold</b> heading\n\nA paragraph about bone pain.\n",
    );
    let server = Server::start(&ws);
    for path in ["/?q=bone+pain", "/handout?id=PASSAGE"] {
        let path = path.replace(
            "PASSAGE",
            server.get("/api/search?q=bone").json()["passages"][0]["passage_id"]
                .as_str()
                .unwrap(),
        );
        let page = server.get(&path);
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(!page.body.contains("<script>alert"), "{}", page.body);
        assert!(!page.body.contains("\"><script>"), "{}", page.body);
        assert!(
            page.body.contains("&lt;script&gt;alert('title')"),
            "{}",
            page.body
        );
    }
}

#[test]
fn the_log_has_one_line_per_request_and_never_the_query() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    server.get("/api/search?q=osteonecrosis");
    server.get("/?q=osteonecrosis");
    let (status, log) = server.stop();
    assert!(status.success(), "{status:?}: {log:?}");
    let requests: Vec<&String> = log.iter().filter(|l| l.contains(" GET ")).collect();
    assert_eq!(requests.len(), 2, "{log:?}");
    // When it happened, to the second in UTC, first: a log line without it cannot be matched
    // to a complaint.
    let (when, request) = requests[0].split_once(' ').unwrap();
    assert!(
        when.len() == 20 && when.starts_with("20") && when.ends_with('Z'),
        "{log:?}"
    );
    assert!(request.starts_with("GET /api/search 200 "), "{log:?}");
    assert!(
        log.iter().all(|l| !l.contains("osteonecrosis")),
        "the query stays private: {log:?}"
    );
}

#[test]
fn an_address_beyond_this_computer_needs_public() {
    let ws = Workspace::with_fixture_corpus();
    let run = ws.mbc(&["serve", "--addr", "0.0.0.0:0"]).expect_code(2);
    assert!(run.stderr.contains("--public"), "{}", run.stderr);
}

#[test]
fn a_new_index_is_served_without_a_restart_and_no_request_fails_meanwhile() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    assert_eq!(server.get("/api/search?q=quokka").json()["found"], false);

    let stop = AtomicBool::new(false);
    let (answered, failed) = (AtomicUsize::new(0), Mutex::new(Vec::new()));
    std::thread::scope(|scope| {
        // Stops the load even when an assertion below fails, so the scope can end.
        let _stop = StopOnDrop(&stop);
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                let reply = server.get("/api/search?q=zoledronic");
                if reply.status == 200 {
                    answered.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.lock().unwrap().push(reply.body);
                }
            }
        });
        ws.write(
            "corpus/quokka.md",
            "# Quokka\n\nA quokka is not a treatment for anything.\n",
        );
        for _ in 0..3 {
            ws.mbc(&["index", "--rebuild"]).ok();
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while server.get("/api/search?q=quokka").json()["found"] != true {
            assert!(Instant::now() < deadline, "the new index is never served");
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    assert!(
        failed.lock().unwrap().is_empty(),
        "{:?}",
        failed.lock().unwrap()
    );
    assert!(answered.load(Ordering::Relaxed) > 0);
}

#[test]
fn requests_beyond_the_limit_are_refused_with_503_and_the_server_recovers() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start_with(&ws, &["--max-concurrent", "1"]);
    // Whether two requests overlap is up to the scheduler: send bursts until one is refused.
    let mut refused = None;
    for _ in 0..50 {
        let replies: Vec<Reply> = std::thread::scope(|scope| {
            let burst: Vec<_> = (0..16)
                .map(|_| scope.spawn(|| server.get("/api/search?q=bone+pain+treatment")))
                .collect();
            burst.into_iter().map(|t| t.join().unwrap()).collect()
        });
        for reply in &replies {
            assert!(
                matches!(reply.status, 200 | 503),
                "{}: {}",
                reply.status,
                reply.body
            );
        }
        refused = replies.into_iter().find(|r| r.status == 503);
        if refused.is_some() {
            break;
        }
    }
    let refused = refused.expect("16 requests at once never exceeded a limit of 1");
    let json = refused.json();
    assert_eq!(json["error"]["kind"], "overloaded", "{}", refused.body);
    assert_eq!(json["error"]["status"], 503);
    assert_eq!(refused.header("cache-control"), Some("no-store"));
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(server.get("/api/search?q=bone").status, 200);
}

#[test]
fn only_the_origins_named_may_read_answers_from_another_page() {
    let ws = Workspace::with_fixture_corpus();
    let portal = "https://portal.example.org";
    let allowed = |server: &Server, origin: &str| {
        server
            .get_with("/api/search?q=bone", &[("Origin", origin)])
            .header("access-control-allow-origin")
            .map(str::to_string)
    };
    let closed = Server::start(&ws);
    assert_eq!(allowed(&closed, portal), None);
    drop(closed);
    let open = Server::start_with(&ws, &["--cors-origin", portal]);
    assert_eq!(allowed(&open, portal).as_deref(), Some(portal));
    assert_eq!(allowed(&open, "https://elsewhere.example.com"), None);
    let run = ws.mbc(&["serve", "--cors-origin", "https://portal.example.org/"]);
    assert!(run.expect_code(2).stderr.contains("is not an origin"));
}

#[test]
fn a_named_origins_preflight_is_answered_with_the_headers_it_asks_for() {
    // A page sending `Content-Type: application/json` makes its browser ask first; the answer
    // allowed no header (the browser then refused the search) and lacked the security headers.
    let ws = Workspace::with_fixture_corpus();
    let portal = "https://portal.example.org";
    let server = Server::start_with(&ws, &["--cors-origin", portal]);
    let reply = server.raw(
        "OPTIONS",
        "/api/search?q=bone",
        &[
            ("Origin", portal),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
    );
    assert!(reply.starts_with("http/1.1 200"), "{reply}");
    assert!(
        reply.contains(&format!("access-control-allow-origin: {portal}")),
        "{reply}"
    );
    assert!(
        reply.contains("access-control-allow-headers: accept,content-type"),
        "{reply}"
    );
    assert!(reply.contains("x-content-type-options: nosniff"), "{reply}");
}

#[test]
fn the_page_names_the_words_no_passage_uses_and_links_each_suggestion() {
    // The page searched on without a word of the query and, unlike `mbc search`, said
    // nothing of it; after a correction, there was no way to search the words as typed.
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let page = server.get("/?q=bane+radiation").body;
    assert!(
        page.contains(
            "No passage mentions “bane”. Did you mean <a href=\"/?q=bone+radiation\">“bone”</a>?"
        ),
        "{page}"
    );
    let corrected = server.get("/?q=denosumb+jaw").body;
    assert!(
        corrected.contains(
            "<a href=\"/?q=denosumb+jaw&amp;exact=true\">Search for “denosumb jaw” as typed</a>"
        ),
        "{corrected}"
    );
    let typed = server.get("/?q=denosumb+jaw&exact=true").body;
    assert!(typed.contains("No passage mentions “denosumb”."), "{typed}");
}

#[test]
fn a_passage_opened_from_the_results_leads_back_to_them() {
    // The passage's page had no way back but the browser's button.
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let results = server.get("/?q=bone&offset=1").body;
    let link = results
        .split("<h2><a href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no passage link: {results}"))
        .replace("&amp;", "&");
    assert!(link.contains("?back="), "{link}");
    let page = server.get(&link).body;
    assert!(
        page.contains("<a href=\"/?q=bone&amp;offset=1\">← Back to the results for “bone”</a>"),
        "{page}"
    );
    // The search box keeps the query.
    assert!(page.contains("value=\"bone\""), "{page}");
    // Only to a search of mbc's own.
    let id = link
        .trim_start_matches("/passages/")
        .split('?')
        .next()
        .unwrap();
    for elsewhere in [
        "https://example.com/?q=bone",
        "//example.com/?q=bone",
        "/?x=1",
    ] {
        let address = format!(
            "/passages/{id}?back={}",
            elsewhere.replace('/', "%2F").replace('?', "%3F")
        );
        let page = server.get(&address);
        assert_eq!(page.status, 200, "{elsewhere}");
        assert!(!page.body.contains("Back to the results"), "{elsewhere}");
    }
}

#[test]
fn a_port_alone_is_a_port_on_this_computer() {
    // `--port` was "unexpected argument" with no hint of `--addr`.
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start_as(&ws, &["serve", "--port", "0"]);
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    assert_eq!(server.get("/healthz").status, 200);
    let both = ws.mbc(&["serve", "--port", "8700", "--addr", "127.0.0.1:8701"]);
    assert!(both.expect_code(2).stderr.contains("cannot be used with"));
}

#[test]
fn an_api_address_with_the_wrong_case_is_answered_in_json_with_the_endpoints() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    for path in ["/API/search?q=bone", "/api", "/Api/stats"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        let json = reply.json();
        assert_eq!(json["error"]["kind"], "not_found", "{path}");
        let message = json["error"]["message"].as_str().unwrap();
        assert!(message.contains("/api/search"), "{path}: {message}");
    }
    assert!(
        server
            .get("/no-such-page")
            .body
            .contains("<h1>Not found</h1>")
    );
}

#[test]
fn the_page_names_only_the_expansions_that_mattered_as_the_cli_does() {
    let ws = Workspace::with_bundled_corpus();
    let server = Server::start(&ws);
    let page = server.get("/?q=herceptin").body;
    let also = page
        .split("Also searched: ")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("no \"Also searched\" note: {page}"));
    // The generic name a passage contains, not every biosimilar brand or misspelling.
    assert_eq!(also, "trastuzumab.");
}

struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[test]
fn suggestions_complete_drug_names_and_never_offer_misspellings() {
    let ws = Workspace::with_fixture_corpus();
    ws.write(
        "corpus/hormones.md",
        "+++\ntitle = 'Hormone therapy'\n+++\nTamoxifen and letrozole are hormone therapies.\n",
    );
    let server = Server::start(&ws);
    let reply = server.get("/api/suggest?q=tamox").json();
    let suggestions: Vec<&str> = reply["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(suggestions.contains(&"tamoxifen"), "{suggestions:?}");
    // Misspellings listed in a misspelling group, and those a drug's own group lists so that
    // they are searched ("tamoxifene", "letrozol").
    for misspelt in ["tamoxafen", "tamoxifene", "tamoxifin"] {
        assert!(!suggestions.contains(&misspelt), "{suggestions:?}");
    }
    let letrozole = server.get("/api/suggest?q=letroz").json();
    assert_eq!(letrozole["suggestions"], serde_json::json!(["letrozole"]));
    let brands = server.get("/api/suggest?q=Herc").json();
    assert!(
        brands["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().eq_ignore_ascii_case("herceptin")),
        "{brands}"
    );
    assert_eq!(
        server.get("/api/suggest?q=").json()["suggestions"],
        serde_json::json!([])
    );
    // What no text of this corpus names is not offered: it led to "nothing found" (Zoladex
    // and Ibrance, from the lexicon, in a corpus that names neither).
    for (typed, unused) in [("zol", "zoladex"), ("ib", "ibrance")] {
        let reply = server.get(&format!("/api/suggest?q={typed}")).json();
        assert!(
            !reply["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s.as_str().unwrap().eq_ignore_ascii_case(unused)),
            "{reply}"
        );
    }
    assert!(server.get("/suggest.js").body.contains("/api/suggest"));
}

#[test]
fn real_responses_match_the_openapi_document() {
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let doc = server.get("/api/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    // `q` is required (leaving it out is a 400), and its limit is in bytes, which `maxLength`
    // (characters) cannot say: 2,049 emoji passed it and were refused.
    let q = &doc["paths"]["/api/search"]["get"]["parameters"][0];
    assert!(
        q["name"] == "q" && q["required"] == true && q["schema"]["maxLength"].is_null(),
        "{q}"
    );
    assert!(
        !doc.to_string().contains("[`"),
        "no links into the Rust source"
    );
    let id = server.get("/api/search?q=bone").json()["passages"][0]["passage_id"]
        .as_str()
        .unwrap()
        .to_string();
    let cases = [
        ("/api/search", "/api/search?q=bone", 200),
        ("/api/search", "/api/search?q=xylophone", 200),
        ("/api/search", "/api/search?q=", 400),
        ("/api/passages/{id}", &format!("/api/passages/{id}"), 200),
        ("/api/passages/{id}", "/api/passages/nope", 404),
        ("/api/approaches", "/api/approaches?per=2", 200),
        ("/api/stats", "/api/stats", 200),
        ("/api/suggest", "/api/suggest?q=zol", 200),
        ("/healthz", "/healthz", 200),
    ];
    for (template, path, status) in cases {
        let reply = server.get(path);
        assert_eq!(reply.status, status, "{path}: {}", reply.body);
        let schema = &doc["paths"][template]["get"]["responses"][status.to_string()]["content"]["application/json"]
            ["schema"];
        assert!(
            schema.is_object(),
            "{template} documents no {status} answer"
        );
        if let Err(at) = conforms(&reply.json(), schema, &doc) {
            panic!("{path}: the answer does not match the document at {at}");
        }
    }
    // The bounds the document gives are the ones the server keeps: the maximum is accepted,
    // one more is refused. (The document gave none.)
    for (path, name, query) in [
        ("/api/search", "limit", "q=bone&limit="),
        ("/api/search", "offset", "q=bone&offset="),
        ("/api/approaches", "per", "per="),
        ("/api/suggest", "limit", "q=zol&limit="),
    ] {
        let parameter = doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} documents no {name}"));
        let maximum = parameter["schema"]["maximum"]
            .as_u64()
            .unwrap_or_else(|| panic!("{path} {name}: no maximum in {parameter}"));
        assert_eq!(server.get(&format!("{path}?{query}{maximum}")).status, 200);
        let beyond = server.get(&format!("{path}?{query}{}", maximum + 1));
        assert_eq!(beyond.status, 400, "{path} {name}={}", maximum + 1);
    }
    let mode = &doc["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "mode")
        .unwrap()["schema"]["enum"];
    assert_eq!(*mode, serde_json::json!(["lexical", "semantic", "hybrid"]));
}

/// Checks `value` against an OpenAPI 3.1 schema as utoipa writes them (`$ref`, `oneOf`,
/// `type`, `properties`, `required`, `items`); every field of an object must be documented,
/// and required.
fn conforms(
    value: &serde_json::Value,
    schema: &serde_json::Value,
    doc: &serde_json::Value,
) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        return conforms(value, &doc["components"]["schemas"][name], doc)
            .map_err(|at| format!("{name}.{at}"));
    }
    if let Some(choices) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        return choices
            .iter()
            .find(|choice| conforms(value, choice, doc).is_ok())
            .map(|_| ())
            .ok_or_else(|| format!("(none of {} choices for {value})", choices.len()));
    }
    let types: Vec<&str> = match &schema["type"] {
        serde_json::Value::String(one) => vec![one.as_str()],
        serde_json::Value::Array(many) => many.iter().filter_map(|t| t.as_str()).collect(),
        _ => return Ok(()),
    };
    let kind = match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    };
    let allowed = types.contains(&kind) || (kind == "integer" && types.contains(&"number"));
    if !allowed {
        return Err(format!("(a {kind}, documented as {types:?})"));
    }
    match value {
        serde_json::Value::Object(fields) => {
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap();
                if !fields.contains_key(name) {
                    return Err(format!("{name} (required, missing)"));
                }
            }
            let required = schema["required"].as_array();
            for (name, field) in fields {
                let documented = &schema["properties"][name];
                if documented.is_null() {
                    return Err(format!("{name} (not documented)"));
                }
                // A field that is always sent is `required` (null or not), so that a client
                // generated from the document need not treat it as optional; only
                // `explanation` comes and goes (with `explain`).
                let listed = required.is_some_and(|r| r.iter().any(|n| n == name));
                if !listed && name != "explanation" {
                    return Err(format!("{name} (always sent, not required)"));
                }
                conforms(field, documented, doc).map_err(|at| format!("{name}.{at}"))?;
            }
            Ok(())
        }
        serde_json::Value::Array(items) => items
            .iter()
            .try_for_each(|item| conforms(item, &schema["items"], doc)),
        _ => Ok(()),
    }
}

#[test]
fn the_health_check_says_when_the_index_is_damaged() {
    // With a damaged store, searches failed with 503 while /healthz said "ok".
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let store = std::fs::read_dir(ws.current_generation())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .expect("a .store file");
    let mut bytes = std::fs::read(&store).unwrap();
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle..middle + 64] {
        *byte ^= 0x5a;
    }
    std::fs::write(&store, bytes).unwrap();
    let server = Server::start(&ws);
    let health = server.get("/healthz");
    assert_eq!(health.status, 503, "{}", health.body);
    assert_eq!(health.json()["error"]["kind"], "damaged_index");
    let (_, log) = server.stop();
    assert!(
        log.iter().any(|l| l.contains("the index is damaged")),
        "{log:?}"
    );
}

#[test]
fn an_unreviewed_text_is_marked_on_the_page_with_what_it_lacks() {
    // A text with a review date and no sources read "Not reviewed: this text names no review
    // date", and its date was not shown.
    let ws = Workspace::new();
    ws.write("corpus/dated-only.md", DATED_ONLY_DOC);
    let server = Server::start(&ws);
    let results = server.get("/?q=salt+water+rinse");
    assert!(
        results.body.contains(
            "<strong>Not reviewed</strong>: this text names no sources (its review date: 2026-10-01)."
        ),
        "{}",
        results.body
    );
}

#[test]
fn a_dated_unsourced_text_is_marked_as_such_on_the_page_and_its_handout() {
    // The founding article was marked "Dated text" alone, its 14 corrections spread out under
    // each passage in results, while the home page said every result came from reviewed texts
    // with sources; and a handout printed each source address twice.
    let ws = Workspace::new();
    ws.write(
        "corpus/old.txt",
        "Treating spread\n\nTamoflexin is a hormone drug for cancer that has spread to the bones.\n",
    );
    ws.write(
        "corpus/old.txt.meta.toml",
        "status = \"dated\"\ncaveats = [\"It misspells tamoxifen.\", \"It is old.\"]\n",
    );
    let server = Server::start(&ws);
    let results = server.get("/?q=tamoflexin");
    assert!(
        results
            .body
            .contains("<strong>Dated text, not reviewed, no sources</strong>"),
        "{}",
        results.body
    );
    // In results the corrections are one line to open; read or printed, they are open.
    assert!(
        results
            .body
            .contains("<details class=\"dated\"><summary>Known problems with this text (2)"),
        "{}",
        results.body
    );
    let id = server.get("/api/search?q=tamoflexin").json()["passages"][0]["passage_id"]
        .as_str()
        .unwrap()
        .to_string();
    let handout = server.get(&format!("/handout?id={id}"));
    assert!(
        handout
            .body
            .contains("Dated text, not reviewed, no sources")
            && handout.body.contains("<details class=\"dated\" open>"),
        "{}",
        handout.body
    );
    assert!(!server.get("/").body.contains("reviewed educational texts"));
    // Nothing ticked is not a mistake in the address, and the way back is to the results.
    let none = server.get("/handout?q=tamoflexin");
    assert!(
        none.status == 400
            && none.body.contains("No passages chosen yet")
            && none.body.contains("href=\"/?q=tamoflexin\"")
            && !none.body.contains("Check the address"),
        "{}",
        none.body
    );
    let chosen = server.get(&format!("/handout?q=tamoflexin&id={id}"));
    assert!(
        chosen.body.contains("a search for “tamoflexin”"),
        "{}",
        chosen.body
    );
    assert!(!server.get("/style.css").body.contains("attr(href)"));
}

#[test]
fn the_urgent_warning_comes_first_on_the_page_and_on_its_handout() {
    let ws = Workspace::with_bundled_corpus();
    let server = Server::start(&ws);
    // A spelling note came first: "Did you mean “fever”?" above the warning.
    let page = server.get("/?q=fiver+38+on+chemo").body;
    let warning = page.find("can need urgent care");
    let spelling = page.find("No passage mentions");
    assert!(
        warning.is_some() && spelling.is_some() && warning < spelling,
        "{page}"
    );
    // A passage's source is its file and lines: where the corpus lies on the server (a
    // path under the user's home, on a handout) is the API's to give.
    let sources: Vec<&str> = page
        .split("<p class=\"source\">")
        .skip(1)
        .map(|rest| &rest[..rest.find("</p>").unwrap()])
        .collect();
    assert!(
        !sources.is_empty() && sources.iter().all(|s| !s.contains('/')),
        "{sources:?}"
    );
    // A handout printed from an urgent search lost the warning and the mark on the advice.
    let query = "fever+38.5+on+chemo";
    let found = server.get(&format!("/api/search?q={query}&limit=3")).json();
    let passages = found["passages"].as_array().unwrap();
    assert_eq!(passages[0]["urgent"], true, "{found}");
    let ids: Vec<&str> = passages
        .iter()
        .map(|p| p["passage_id"].as_str().unwrap())
        .collect();
    let handout = server
        .get(&format!("/handout?q={query}&id={}&id={}", ids[0], ids[2]))
        .body;
    let warning = handout.find("can need urgent care");
    let chosen = handout.find("Passages chosen from a search");
    assert!(warning.is_some() && warning < chosen, "{handout}");
    assert_eq!(
        handout.matches("Urgent: read this first.").count(),
        1 + usize::from(passages[2]["urgent"] == true),
        "{handout}"
    );
    // A handout from a question about a dose lost the note that the texts give none.
    let dose = "how+much+tamoxifen+should+i+take";
    let found = server.get(&format!("/api/search?q={dose}&limit=1")).json();
    assert_eq!(found["asks_for_dose"], true, "{found}");
    let id = found["passages"][0]["passage_id"].as_str().unwrap();
    let handout = server.get(&format!("/handout?q={dose}&id={id}")).body;
    assert!(handout.contains("give no doses"), "{handout}");
    // Printed, the headings of the sources and known problems stay: only their marker goes.
    let css = server.get("/style.css").body;
    let print = &css[css.find("@media print").unwrap()..];
    assert!(!print.contains("summary { display: none"), "{print}");
}

#[test]
fn a_shared_search_link_with_tracking_parameters_still_searches() {
    // A link shared through a newsletter or a social site gains utm_source, fbclid and the
    // like; the page refused it for an unknown parameter.
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let shared = server.get("/?q=zoledronic&utm_source=newsletter&utm_medium=email&fbclid=x1");
    assert_eq!(shared.status, 200, "{}", shared.body);
    assert!(shared.body.contains("Bone health during treatment"));
    let overview = server.get("/approaches?utm_campaign=clinic");
    assert_eq!(overview.status, 200, "{}", overview.body);
    // A parameter mistyped is still named.
    let mistyped = server.get("/?q=zoledronic&limt=5");
    assert_eq!(mistyped.status, 400);
    assert!(mistyped.body.contains("limt"), "{}", mistyped.body);
}

#[test]
fn a_suggestion_request_too_long_is_told_so_not_blamed_on_its_limit() {
    // One message for both blamed `limit` when only `q` was too long.
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let long = server.get(&format!("/api/suggest?q={}", "a".repeat(201)));
    assert_eq!(long.status, 400);
    let message = long.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("q is longer than 200 bytes") && !message.contains("limit"),
        "{message}"
    );
    let many = server.get("/api/suggest?q=tam&limit=51").json();
    assert_eq!(many["error"]["message"], "limit must be between 1 and 50");
}
