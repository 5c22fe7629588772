//! The page in a real browser: headless Chromium driven over WebDriver (chromedriver), used with
//! the keyboard alone, and checked with axe-core for accessibility. Screenshots at 1280 and 375
//! pixels wide are written to `target/tmp/browser/`.
//!
//! Needs `chromium` and `chromedriver` on the PATH and axe-core's `axe.min.js` (found through
//! `MBC_AXE`, or in `target/axe/node_modules/axe-core/`). Without them the test prints one
//! "browser tests skipped: …" line and passes, unless `MBC_BROWSER_TESTS=required` (as `.ci/run`
//! sets it, after installing them), when it fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helper::Workspace;
use crate::serve::Server;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[test]
fn the_page_works_with_the_keyboard_alone_and_passes_axe() {
    let Some(axe) = browser_tools() else { return };
    let ws = Workspace::with_fixture_corpus();
    let server = Server::start(&ws);
    let driver = Driver::start();
    let base = format!("http://{}", server.addr);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let client = driver.connect().await;
            let outcome = walk_through(&client, &base, &axe).await;
            let _ = client.close().await;
            outcome.unwrap();
        });
}

/// Everything a nurse does preparing a handout, keyboard only, with axe run on each page.
async fn walk_through(client: &Client, base: &str, axe: &str) -> Result<()> {
    client.goto(&format!("{base}/")).await?;
    no_serious_violations(client, axe, "the start page").await?;

    // Tab to the search box, type the start of a drug name, take a suggestion.
    tab_until(client, "document.activeElement.id === 'q'").await?;
    type_keys(client, "zoledr").await?;
    let suggestion = wait_for_script(
        client,
        "const o = document.querySelector('#suggestions option'); return o ? o.value : null;",
    )
    .await?;
    let suggestion = suggestion.as_str().unwrap_or_default().to_string();
    assert!(
        suggestion.to_lowercase().starts_with("zoledr"),
        "{suggestion}"
    );
    client
        .execute("document.getElementById('q').value = '';", vec![])
        .await?;
    type_keys(client, &format!("{suggestion}{}", char::from(Key::Enter))).await?;
    wait_for_script(
        client,
        "return document.querySelector('ol.results li') ? true : null;",
    )
    .await?;
    let results_url = client.current_url().await?.to_string();
    assert!(results_url.contains("q=zoledr"), "{results_url}");
    no_serious_violations(client, axe, "the results").await?;
    screenshots(client, "results").await?;

    // An approach chip narrows the search.
    tab_until(client, "!!document.activeElement.closest('.chips')").await?;
    type_keys(client, &char::from(Key::Enter).to_string()).await?;
    wait_for_script(
        client,
        "return location.search.includes('approach=') ? true : null;",
    )
    .await?;

    // A passage opens with its neighbours.
    tab_until(
        client,
        "!!document.activeElement.closest('article.passage h2')",
    )
    .await?;
    type_keys(client, &char::from(Key::Enter).to_string()).await?;
    wait_for_script(
        client,
        "return location.pathname.startsWith('/passages/') ? true : null;",
    )
    .await?;
    no_serious_violations(client, axe, "a passage").await?;

    // Two passages ticked, then the handout's print view.
    client.goto(&format!("{base}/?q=bone")).await?;
    for _ in 0..2 {
        tab_until(
            client,
            "document.activeElement.name === 'id' && !document.activeElement.checked",
        )
        .await?;
        type_keys(client, " ").await?;
    }
    tab_until(
        client,
        "document.activeElement.type === 'submit' && !!document.activeElement.closest('#handout')",
    )
    .await?;
    type_keys(client, &char::from(Key::Enter).to_string()).await?;
    wait_for_script(
        client,
        "return location.pathname === '/handout' ? true : null;",
    )
    .await?;
    let passages = client.find_all(Locator::Css("article.passage")).await?;
    assert_eq!(
        passages.len(),
        2,
        "the handout holds the two ticked passages"
    );
    let text = client.find(Locator::Css("main")).await?.text().await?;
    assert!(text.contains("Printed "), "{text}");
    no_serious_violations(client, axe, "the handout").await?;
    screenshots(client, "handout").await?;
    Ok(())
}

/// Presses Tab until `condition` (JavaScript, on `document.activeElement`) holds.
async fn tab_until(client: &Client, condition: &str) -> Result<()> {
    let tab = char::from(Key::Tab).to_string();
    for _ in 0..80 {
        if client
            .execute(&format!("return {condition};"), vec![])
            .await?
            == json!(true)
        {
            return Ok(());
        }
        client.active_element().await?.send_keys(&tab).await?;
    }
    Err(format!("Tab never reached an element where {condition}").into())
}

async fn type_keys(client: &Client, keys: &str) -> Result<()> {
    client.active_element().await?.send_keys(keys).await?;
    Ok(())
}

/// Runs `script` until it returns something other than null (at most 10 s).
async fn wait_for_script(client: &Client, script: &str) -> Result<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let value = client.execute(script, vec![]).await?;
        if !value.is_null() {
            return Ok(value);
        }
        if Instant::now() > deadline {
            return Err(format!("never true: {script}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs axe-core on the page: no serious or critical WCAG 2.2 A/AA violation.
async fn no_serious_violations(client: &Client, axe: &str, page: &str) -> Result<()> {
    client.execute(axe, vec![]).await?;
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await?;
    assert_eq!(found, json!([]), "axe on {page}");
    Ok(())
}

/// Screenshots at 1280 and 375 pixels wide, as test artefacts.
async fn screenshots(client: &Client, name: &str) -> Result<()> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir)?;
    for width in [1280, 375] {
        client.set_window_size(width, 900).await?;
        std::fs::write(
            dir.join(format!("{name}-{width}.png")),
            client.screenshot().await?,
        )?;
    }
    client.set_window_size(1280, 900).await?;
    Ok(())
}

/// axe-core's script when chromium and chromedriver are at hand; `None` (with the one line)
/// when they are not and the browser tests are not required.
fn browser_tools() -> Option<String> {
    let required = std::env::var("MBC_BROWSER_TESTS").is_ok_and(|v| v == "required");
    let axe = std::env::var_os("MBC_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        });
    let missing: Vec<String> = ["chromium", "chromedriver"]
        .into_iter()
        .filter(|tool| !on_path(tool))
        .map(String::from)
        .chain((!axe.is_file()).then(|| format!("axe-core ({})", axe.display())))
        .collect();
    if missing.is_empty() {
        return Some(std::fs::read_to_string(&axe).expect("axe-core is readable"));
    }
    let message = format!(
        "browser tests skipped: {} not found (apt-get install chromium chromium-driver; npm install --prefix target/axe axe-core)",
        missing.join(", ")
    );
    assert!(!required, "{message}, and MBC_BROWSER_TESTS=required");
    eprintln!("{message}");
    None
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}

/// A chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{url}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver never answered");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, url }
    }

    async fn connect(&self) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"] }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a browser session starts")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
