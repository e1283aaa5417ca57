//! `hwf fetch` against a PxWebApi 2 server played by the test on the loopback address: the real
//! answers SCB and the reference server gave (recorded by pxwebpy, R pxweb and PxTools, copied to
//! `tests/fixtures/api/`, origins in `tests/fixtures/README.md`), and answers made here for the
//! error cases and the limits. No outside network.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FIX: &str = "tests/fixtures/api";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIX).join(name)).unwrap()
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Req {
    method: String,
    target: String,
    body: String,
    at: Instant,
}

/// An answer, possibly misbehaving.
#[derive(Clone, Debug)]
struct Resp {
    status: u16,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
    /// Wait this long before answering.
    delay: Duration,
    /// Declare more bytes than are sent, then close.
    truncate: bool,
}

impl Resp {
    fn ok(body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            status: 200,
            body: body.into(),
            headers: Vec::new(),
            delay: Duration::ZERO,
            truncate: false,
        }
    }
    fn status(status: u16, body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            status,
            ..Resp::ok(body)
        }
    }
}

type Handler = dyn Fn(&Req, &[Req]) -> Resp + Send + Sync;

/// A one-thread-per-connection HTTP/1.1 server on 127.0.0.1 that answers with `handler` and logs
/// every request.
struct Server {
    root: String,
    log: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    fn start(handler: impl Fn(&Req, &[Req]) -> Resp + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let root = format!("http://{}/api/v2", listener.local_addr().unwrap());
        let log: Arc<Mutex<Vec<Req>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let l2 = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, handler) = (l2.clone(), handler.clone());
                std::thread::spawn(move || serve(stream, &log, &*handler));
            }
        });
        Server { root, log }
    }

    fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Req>>, handler: &Handler) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).unwrap();
    let req = Req {
        method,
        target,
        body: String::from_utf8(body).unwrap(),
        at: Instant::now(),
    };
    let earlier = {
        let mut l = log.lock().unwrap();
        l.push(req.clone());
        l.clone()
    };
    let resp = handler(&req, &earlier[..earlier.len() - 1]);
    std::thread::sleep(resp.delay);
    let mut out = stream;
    let declared = resp.body.len() + if resp.truncate { 500 } else { 0 };
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {declared}\r\nConnection: close\r\n",
        resp.status
    );
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&resp.body);
    let _ = out.flush();
}

/// The metadata document of a table made from one of its data answers: the same dimensions, no
/// values (as `/tables/{id}/metadata` gives them).
fn metadata_from(data: &Value) -> Vec<u8> {
    let mut m = data.clone();
    m["value"] = json!([]);
    m.as_object_mut().unwrap().remove("status");
    serde_json::to_vec(&m).unwrap()
}

/// The part of a full JSON-stat answer that a data request selects, as the server would cut it.
fn slice(full: &Value, request_body: &str) -> Vec<u8> {
    let req: Value = serde_json::from_str(request_body).unwrap();
    let ids: Vec<String> = full["id"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let sizes: Vec<usize> = full["size"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let mut out = full.clone();
    let mut picks: Vec<Vec<usize>> = Vec::new();
    for (d, id) in ids.iter().enumerate() {
        let index = &full["dimension"][id]["category"]["index"];
        let code_pos = |c: &str| -> usize {
            match index {
                Value::Object(o) => o[c].as_u64().unwrap() as usize,
                Value::Array(a) => a.iter().position(|x| x == c).unwrap(),
                _ => unreachable!(),
            }
        };
        let sel = req["selection"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["variableCode"] == id.as_str());
        let p: Vec<usize> = match sel {
            Some(s) => s["valueCodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| code_pos(c.as_str().unwrap()))
                .collect(),
            None => (0..sizes[d]).collect(),
        };
        let codes: Vec<String> = match index {
            Value::Object(o) => {
                let mut v: Vec<(usize, String)> = o
                    .iter()
                    .map(|(k, v)| (v.as_u64().unwrap() as usize, k.clone()))
                    .collect();
                v.sort();
                v.into_iter().map(|(_, k)| k).collect()
            }
            Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
            _ => unreachable!(),
        };
        let kept: serde_json::Map<String, Value> = p
            .iter()
            .enumerate()
            .map(|(i, &q)| (codes[q].clone(), json!(i)))
            .collect();
        out["dimension"][id]["category"]["index"] = Value::Object(kept);
        picks.push(p);
    }
    out["size"] = json!(picks.iter().map(Vec::len).collect::<Vec<_>>());
    let values = full["value"].as_array().unwrap();
    let mut cut = Vec::new();
    let mut idx = vec![0usize; ids.len()];
    'cells: loop {
        let mut flat = 0;
        for d in 0..ids.len() {
            flat = flat * sizes[d] + picks[d][idx[d]];
        }
        cut.push(values[flat].clone());
        let mut d = ids.len();
        loop {
            if d == 0 {
                break 'cells;
            }
            d -= 1;
            idx[d] += 1;
            if idx[d] < picks[d].len() {
                break;
            }
            idx[d] = 0;
        }
    }
    out["value"] = json!(cut);
    serde_json::to_vec(&out).unwrap()
}

fn hwf(args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hwf"));
    // The server is on the loopback address: a proxy set for the machine must not take the calls.
    for v in ["ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY"] {
        c.env_remove(v).env_remove(v.to_ascii_lowercase());
    }
    c.args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A server for one table: `/config`, the table's metadata (any query), and its data calls answered
/// by `data`; anything else 404.
fn table_server(
    table: &str,
    config: Vec<u8>,
    meta: Vec<u8>,
    data: impl Fn(&Req, &[Req]) -> Resp + Send + Sync + 'static,
) -> Server {
    let (meta_path, data_path) = (
        format!("/tables/{table}/metadata"),
        format!("/tables/{table}/data"),
    );
    Server::start(move |r, earlier| {
        let path = r.target.split('?').next().unwrap();
        if path.ends_with("/config") {
            Resp::ok(config.clone())
        } else if path.ends_with(&meta_path) {
            Resp::ok(meta.clone())
        } else if path.ends_with(&data_path) && r.method == "POST" {
            data(r, earlier)
        } else {
            Resp::status(404, r#"{"title":"Non-existent table","status":404}"#)
        }
    })
}

/// `hwf fetch TABLE --api ROOT --no-cache --out OUT` and more.
fn fetch(srv: &Server, table: &str, out: &str, more: &[&str]) -> Output {
    let mut args = vec![
        "fetch",
        table,
        "--api",
        &srv.root,
        "--no-cache",
        "--out",
        out,
    ];
    args.extend(more);
    hwf(&args)
}

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }
    fn p(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
    fn s(&self, name: &str) -> String {
        self.p(name).display().to_string()
    }
}

/// A server for SCB's TAB6471 (population per month by county, 10-year age group, sex; 2 772
/// cells): the recorded metadata, the recorded data answer cut to each request, a `/config` with
/// `maxDataCells` lowered to 1 000 (so the table takes several calls) and pxwebpy's 3 calls per
/// second. `fail_third` answers the third data call with 429 once.
fn tab6471_server(fail_third: bool) -> Server {
    let full = fixture_json("pxwebpy_TAB6471_data.json");
    let mut config = fixture_json("pxwebpy_config.json");
    config["maxDataCells"] = json!(1000);
    let plain_meta = fixture("pxwebpy_TAB6471_metadata.json");
    let agg_meta = metadata_from(&full);
    Server::start(move |r, earlier| {
        let path = r.target.split('?').next().unwrap();
        if path.ends_with("/config") {
            return Resp::ok(serde_json::to_vec(&config).unwrap());
        }
        if path.ends_with("/tables/TAB6471/metadata") {
            // The code list's name percent-encoded as UTF-8: agg_Ålder10årJ.
            if r.target
                .contains("codelist[Alder]=agg_%C3%85lder10%C3%A5rJ")
            {
                return Resp::ok(agg_meta.clone());
            }
            return Resp::ok(plain_meta.clone());
        }
        if path.ends_with("/tables/TAB6471/data") && r.method == "POST" {
            let data_calls = earlier.iter().filter(|e| e.method == "POST").count();
            if fail_third && data_calls == 2 {
                let mut resp = Resp::status(429, "Too many requests");
                resp.headers.push(("Retry-After".into(), "1".into()));
                return resp;
            }
            return Resp::ok(slice(&full, &r.body));
        }
        Resp::status(404, r#"{"title":"Not found","status":404}"#)
    })
}

const TAB6471_ARGS: [&str; 10] = [
    "--codelist",
    "Alder=agg_Ålder10årJ",
    "--select",
    "Region=*",
    "--select",
    "Alder=*",
    "--select",
    "Kon=TotSa,1,2",
    "--select",
    "Tid=from(2026M01)",
];

#[test]
fn a_table_larger_than_the_limit_comes_in_calls_that_join_to_the_whole() {
    let srv = tab6471_server(true);
    let d = Dir::new();
    let (cache, out) = (d.s("cache"), d.s("pop.csv"));
    let mut args = vec![
        "fetch", "TAB6471", "--api", &srv.root, "--cache", &cache, "--out", &out,
    ];
    args.extend(TAB6471_ARGS);
    let o = hwf(&args);
    assert!(o.status.success(), "{}", text(&o));
    // The answer as one piece, read by hwf directly: the joined calls must give the same file.
    let whole = d.s("whole.csv");
    let c = hwf(&[
        "convert",
        &format!("{FIX}/pxwebpy_TAB6471_data.json"),
        &whole,
    ]);
    assert!(c.status.success(), "{}", text(&c));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&whole).unwrap());
    let reqs = srv.requests();
    let posts: Vec<&Req> = reqs.iter().filter(|r| r.method == "POST").collect();
    // 21 counties × 11 age groups × 3 × 1 × 4 months = 2 772 cells; 1 000 per call: the counties
    // split in threes of 7 (7 × 132 = 924 cells), so 3 calls, and the third once more after 429.
    assert_eq!(posts.len(), 4, "{reqs:#?}");
    for p in &posts {
        assert!(p.body.contains("\"valueCodes\""), "{}", p.body);
        assert!(
            p.body.contains("\"codelist\":\"agg_Ålder10årJ\""),
            "{}",
            p.body
        );
        assert!(p.target.contains("outputFormat=json-stat2"));
    }
    // The retry waited for Retry-After (1 s) ...
    assert!(posts[3].at.duration_since(posts[2].at) >= Duration::from_millis(950));
    // ... and no second held more than the 3 calls /config allows (measured where the server
    // received them, with 100 ms for the time between sending and receiving on a loaded machine;
    // without the limit all six would come within milliseconds).
    for (i, r) in reqs.iter().enumerate() {
        let within = reqs[i..]
            .iter()
            .filter(|s| s.at.duration_since(r.at) < Duration::from_millis(900))
            .count();
        assert!(within <= 3, "{within} calls within a second from call {i}");
    }
    // The record names every call that made the file, with the answers' checksums.
    let rec: Value =
        serde_json::from_slice(&std::fs::read(d.p("pop.csv.source.json")).unwrap()).unwrap();
    assert_eq!(rec["table"], "TAB6471");
    assert_eq!(rec["cells"], 2772);
    assert_eq!(rec["config"]["maxDataCells"], 1000);
    let calls = rec["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 5, "config, metadata and three data calls");
    assert_eq!(
        rec["output"]["sha256"],
        sha256(&std::fs::read(&out).unwrap())
    );
    assert_eq!(
        rec["selection"][2]["valueCodes"],
        json!(["TotSa", "1", "2"])
    );
    assert_eq!(rec["asked"]["Tid"], json!(["from(2026M01)"]));
    // SCB's notes travel in the record, which every output format has: the cell-key method's
    // note says totals need not equal the sums of their parts from 2025.
    assert_eq!(rec["updated"], "2026-06-08T06:00:00Z");
    let ckm = rec["notes"][0].as_str().unwrap();
    assert!(ckm.contains("Cell Key Method (CKM)"));
    // Its paragraphs are broken by `\r\n` in the answer, kept as they are.
    assert!(ckm.contains("delar. \r\n"), "{ckm:?}");
    // The aggregation's codes are kept as they come (`100+10` is labelled `100+ år`, `TotSa` is
    // both sexes), and validation reads them through their labels: a population table with no
    // errors (its totals against the parts are warnings, for the perturbed years).
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains(",100+10,100+ år,TotSa,"), "{csv}");
    let v = hwf(&["validate", "--kind", "population", &out]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    assert!(text(&v).contains(": 0 error(s)"), "{}", text(&v));
}

#[test]
fn a_repeated_fetch_takes_the_cache_and_refresh_calls_again() {
    let srv = tab6471_server(false);
    let d = Dir::new();
    let cache = d.s("cache");
    let run = |name: &str, extra: &[&str]| {
        let out = d.s(name);
        let mut args = vec![
            "fetch", "TAB6471", "--api", &srv.root, "--cache", &cache, "--out", &out,
        ];
        args.extend(TAB6471_ARGS);
        args.extend(extra);
        let o = hwf(&args);
        assert!(o.status.success(), "{}", text(&o));
        std::fs::read(&out).unwrap()
    };
    let first = run("a.csv", &[]);
    let calls = srv.requests().len();
    assert_eq!(calls, 5, "config, metadata, three data calls");
    let second = run("b.csv", &[]);
    assert_eq!(
        srv.requests().len(),
        calls,
        "nothing called the second time"
    );
    assert_eq!(first, second);
    let rec: Value =
        serde_json::from_slice(&std::fs::read(d.p("b.csv.source.json")).unwrap()).unwrap();
    assert!(
        rec["calls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["from_cache"] == true)
    );
    // The time of retrieval stays the server's, not the cache's.
    let rec_a: Value =
        serde_json::from_slice(&std::fs::read(d.p("a.csv.source.json")).unwrap()).unwrap();
    assert_eq!(rec["calls"][2]["retrieved"], rec_a["calls"][2]["retrieved"]);
    let third = run("c.csv", &["--refresh"]);
    assert_eq!(srv.requests().len(), 2 * calls);
    assert_eq!(first, third);
    // The same output again replaces hwf's own file (its record beside it).
    run("a.csv", &[]);
    // A cache that cannot be written (here a file where the folder should be) is a warning: the
    // answers are used and the output written.
    std::fs::write(d.p("not-a-folder"), "x").unwrap();
    let out = d.s("d.csv");
    let blocked = d.s("not-a-folder");
    let mut args = vec![
        "fetch", "TAB6471", "--api", &srv.root, "--cache", &blocked, "--out", &out,
    ];
    args.extend(TAB6471_ARGS);
    let o = hwf(&args);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("warning: answers not kept in the cache"),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read(&out).unwrap(), first);
}

/// SCB's TAB638 (population by region, marital status, age, sex; R pxweb's recording): one cell.
#[test]
fn one_cell_of_scb_population_as_recorded() {
    let data = fixture("scb_TAB638_data.json");
    let meta = metadata_from(&serde_json::from_slice(&data).unwrap());
    let sent = Arc::new(Mutex::new(Req {
        method: String::new(),
        target: String::new(),
        body: String::new(),
        at: Instant::now(),
    }));
    let s2 = sent.clone();
    let srv = table_server(
        "TAB638",
        fixture("scb_config_v2.3.2.json"),
        meta,
        move |r, _| {
            *s2.lock().unwrap() = r.clone();
            Resp::ok(data.clone())
        },
    );
    let d = Dir::new();
    let out = d.s("tab638.csv");
    // Variable names in any case, as PxWeb binds them; Region left out (it may be eliminated, and
    // the server then answers for the whole country, as this recording does).
    let o = fetch(
        &srv,
        "TAB638",
        &out,
        &[
            "--select",
            "civilstand=OG",
            "--select",
            "Alder=0",
            "--select",
            "Kon=1",
            "--select",
            "Tid=2024",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let sent = sent.lock().unwrap().clone();
    assert!(
        sent.target
            .ends_with("/tables/TAB638/data?lang=sv&outputFormat=json-stat2")
    );
    let body: Value = serde_json::from_str(&sent.body).unwrap();
    assert_eq!(
        body["selection"][0],
        json!({"variableCode": "Civilstand", "valueCodes": ["OG"]})
    );
    // ContentsCode was not named and cannot be eliminated: all its values (one) are asked for.
    assert_eq!(body["selection"][3]["valueCodes"], json!(["BE0101N1"]));
    // `hwf inspect` says where the file came from, and whether it is still as fetched.
    let i = hwf(&["inspect", &out]);
    assert!(
        String::from_utf8_lossy(&i.stdout)
            .contains(&format!("fetched:    table TAB638 from {} (", srv.root)),
        "{}",
        text(&i)
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    std::fs::write(&out, csv.replace("50937", "50938")).unwrap();
    let j: Value = serde_json::from_slice(&hwf(&["inspect", "--json", &out]).stdout).unwrap();
    assert_eq!(j["fetched"]["unchanged"], false, "{j}");
    std::fs::write(&out, &csv).unwrap();
    // SCB: unmarried men aged 0 in Sweden, 2024: 50 937 (the recorded answer).
    assert!(
        csv.lines().nth(1).unwrap().contains(",50937,observed"),
        "{csv}"
    );
    let rec: Value =
        serde_json::from_slice(&std::fs::read(d.p("tab638.csv.source.json")).unwrap()).unwrap();
    assert_eq!(
        rec["calls"][2]["sha256"],
        sha256(&fixture("scb_TAB638_data.json"))
    );
    assert_eq!(rec["config"]["maxCallsPerTimeWindow"], 30);
}

/// SCB's TAB5974 (the population projection; R pxweb's recording: 0-year-olds 2026 by sex) with
/// one cell per call: the two calls join in the table's order.
#[test]
fn the_projection_one_cell_per_call() {
    let full = fixture_json("scb_TAB5974_data.json");
    let meta = metadata_from(&full);
    let mut config = fixture_json("scb_config_v2.3.2.json");
    config["maxDataCells"] = json!(1);
    config["timeWindow"] = json!(1);
    let config = serde_json::to_vec(&config).unwrap();
    let srv = table_server("TAB5974", config, meta, move |r, _| {
        Resp::ok(slice(&full, &r.body))
    });
    let d = Dir::new();
    let out = d.s("proj.xlsx");
    let o = fetch(
        &srv,
        "TAB5974",
        &out,
        &[
            "--select",
            "InrikesUtrikes=83",
            "--select",
            "Kon=*",
            "--select",
            "Tid=2026",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        srv.requests().iter().filter(|r| r.method == "POST").count(),
        2
    );
    let csv = d.s("proj.csv");
    assert!(hwf(&["convert", &out, &csv]).status.success());
    let csv = std::fs::read_to_string(&csv).unwrap();
    let values: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').rev().nth(1).unwrap())
        .collect();
    // Boys 50 080, girls 47 361, as SCB answered in one call.
    assert_eq!(values, ["50080", "47361"], "{csv}");
}

/// The reference server's own contract files: TAB004's metadata and its PX answer.
#[test]
fn the_reference_server_answers_in_px() {
    let px = fixture("reference_tab4_fewcells.px");
    let srv = table_server(
        "TAB004",
        fixture("reference_GetApiConfiguration.json"),
        fixture("reference_MetadataById_tab004_js2.json"),
        move |r, _| {
            assert!(
                r.target
                    .ends_with("/tables/TAB004/data?lang=en&outputFormat=px")
            );
            let sel: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(sel["selection"].as_array().unwrap().len(), 4, "{sel}");
            Resp::ok(px.clone())
        },
    );
    let d = Dir::new();
    let out = d.s("tab004.csv");
    let o = fetch(
        &srv,
        "TAB004",
        &out,
        &[
            "--lang",
            "en",
            "--via",
            "px",
            "--select",
            "sector=7.0",
            "--select",
            "GREENHOUSEGAS=co2",
            "--select",
            "TIME=2017",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let csv = std::fs::read_to_string(&out).unwrap();
    // 445 kt of CO2 from solvent use in 2017, the one cell of the reference answer.
    assert!(csv.contains(",445,observed"), "{csv}");
}

/// Runs a fetch of TAB638 against a server whose data call answers `data`; returns the output and
/// whether the output file exists afterwards.
fn failing_data(data: Resp, extra: &[&str]) -> (String, bool, Vec<Req>) {
    let meta = metadata_from(&fixture_json("scb_TAB638_data.json"));
    let srv = table_server(
        "TAB638",
        fixture("scb_config_v2.3.2.json"),
        meta,
        move |_, _| data.clone(),
    );
    let d = Dir::new();
    let o = fetch(&srv, "TAB638", &d.s("x.csv"), extra);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let exists = d.p("x.csv").exists() || d.p("x.csv.source.json").exists();
    (text(&o), exists, srv.requests())
}

#[test]
fn server_errors_are_clear_and_leave_nothing() {
    let problem = br#"{"type":"about:blank","title":"Bad Request","status":400,"detail":"Value 'XX' not found for variable Region"}"#;
    let (msg, exists, _) = failing_data(Resp::status(400, problem.to_vec()), &[]);
    assert!(
        msg.contains("table TAB638: the server answered 400 Bad Request to POST http://127.0.0.1:"),
        "{msg}"
    );
    assert!(
        msg.contains(
            "/tables/TAB638/data?lang=sv&outputFormat=json-stat2: Bad Request: Value 'XX' not found"
        ),
        "{msg}"
    );
    assert!(!exists);

    let (msg, exists, _) = failing_data(Resp::status(403, "Forbidden".as_bytes().to_vec()), &[]);
    assert!(msg.contains("403 Forbidden"), "{msg}");
    assert!(!exists);

    let (msg, exists, _) = failing_data(Resp::ok("<!DOCTYPE html><html>maintenance</html>"), &[]);
    assert!(msg.contains("is not JSON"), "{msg}");
    assert!(msg.contains("<!DOCTYPE html>"), "{msg}");
    assert!(!exists);

    let mut cut = Resp::ok(fixture("scb_TAB638_data.json"));
    cut.truncate = true;
    let (msg, exists, _) = failing_data(cut, &[]);
    assert!(msg.contains("truncated"), "{msg}");
    assert!(!exists);

    let mut slow = Resp::ok(fixture("scb_TAB638_data.json"));
    slow.delay = Duration::from_secs(4);
    let (msg, exists, _) = failing_data(slow, &["--timeout", "1"]);
    assert!(msg.contains("no complete answer within 1 s"), "{msg}");
    assert!(!exists);

    // Too many requests, always: retried (Retry-After 0) and then given up.
    let mut busy = Resp::status(429, "slow down");
    busy.headers.push(("Retry-After".into(), "0".into()));
    let (msg, exists, reqs) = failing_data(busy, &[]);
    assert!(msg.contains("429 Too Many Requests"), "{msg}");
    assert!(msg.contains("(after 6 tries)"), "{msg}");
    assert_eq!(reqs.iter().filter(|r| r.method == "POST").count(), 6);
    assert!(!exists);

    // A well-formed answer with fewer cells than asked for.
    let short = fixture_json("scb_TAB5974_data.json");
    let (msg, exists, _) = failing_data(Resp::ok(serde_json::to_vec(&short).unwrap()), &[]);
    assert!(msg.contains("cells where the selection asks for"), "{msg}");
    assert!(!exists);
}

#[test]
fn a_missing_table_and_a_wrong_selection_are_named() {
    let srv = table_server(
        "TAB6471",
        fixture("scb_config_v2.3.2.json"),
        fixture("pxwebpy_TAB6471_metadata.json"),
        |_, _| Resp::status(500, ""),
    );
    let d = Dir::new();
    let out = d.s("x.csv");
    let o = fetch(&srv, "TAB0000", &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let msg = text(&o);
    assert!(
        msg.contains("table TAB0000: the server answered 404 Not Found to GET"),
        "{msg}"
    );
    assert!(
        msg.contains("/tables/TAB0000/metadata?lang=sv: Non-existent table"),
        "{msg}"
    );
    let o = fetch(&srv, "TAB6471", &out, &["--select", "Tid=1999M01"]);
    let msg = text(&o);
    assert_eq!(o.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains(
            "TAB6471: variable Tid has no value \"1999M01\"; its values are 2025M01, 2025M02"
        ),
        "{msg}"
    );
    let o = fetch(&srv, "TAB6471", &out, &["--select", "Län=01"]);
    let msg = text(&o);
    assert!(
        msg.contains(
            "the table has no variable \"Län\"; its variables are Region, Alder, Kon, ContentsCode, Tid"
        ),
        "{msg}"
    );
    // All 312 regions × 134 ages × 3 × 1 × 16 months (2 006 784 cells) at the recorded SCB
    // limit (150 000 per call) is 14 calls; at one cell per call it would be two million.
    let o = fetch(
        &srv,
        "TAB6471",
        &out,
        &[
            "--select", "Region=*", "--select", "Alder=*", "--select", "Kon=*",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("Internal Server Error"),
        "it got as far as the data calls: {}",
        text(&o)
    );
    // No data call was made for any of the others.
    assert_eq!(
        srv.requests().iter().filter(|r| r.method == "POST").count(),
        1
    );
    assert!(!d.p("x.csv").exists());
    let mut cfg = fixture_json("scb_config_v2.3.2.json");
    cfg["maxDataCells"] = json!(1);
    let srv = table_server(
        "TAB6471",
        serde_json::to_vec(&cfg).unwrap(),
        fixture("pxwebpy_TAB6471_metadata.json"),
        |_, _| Resp::status(500, ""),
    );
    let o = fetch(
        &srv,
        "TAB6471",
        &out,
        &[
            "--select", "Region=*", "--select", "Alder=*", "--select", "Kon=*",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("makes 2006784 calls, more than hwf makes for one table (10000)"),
        "{}",
        text(&o)
    );
    assert!(srv.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn a_file_of_the_users_is_never_replaced() {
    let srv = Server::start(|_, _| Resp::status(500, ""));
    let d = Dir::new();
    std::fs::write(d.p("mine.csv"), "my own work\n").unwrap();
    let o = fetch(&srv, "TAB638", &d.s("mine.csv"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("exists and was not written by hwf fetch"),
        "{}",
        text(&o)
    );
    assert_eq!(
        std::fs::read_to_string(d.p("mine.csv")).unwrap(),
        "my own work\n"
    );
    // A folder that is a file of the user's.
    let o = fetch(&srv, "TAB638", &d.s("mine.csv/x.csv"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("mine.csv is not a folder"),
        "{}",
        text(&o)
    );
    assert!(srv.requests().is_empty(), "refused before any call");
}

#[test]
fn a_sources_file_fetches_every_table_or_writes_none() {
    let srv = tab6471_server(false);
    let d = Dir::new();
    // `inputs/` is not there: the fetch makes it.
    let sources = format!(
        r#"api = "{}"
lang = "sv"

[[table]]
id = "TAB6471"
out = "inputs/population_month.parquet"
codelist = {{ Alder = "agg_Ålder10årJ" }}
select = {{ Region = "*", Alder = "*", Kon = ["1", "2"], Tid = "2026M04" }}

[[table]]
id = "TAB6471"
out = "inputs/population_total.csv"
select = {{ Region = "01,03", Alder = "0-9", Kon = "TotSa", Tid = "range(2026M01,2026M03)" }}
"#,
        srv.root
    );
    std::fs::write(d.p("sources.toml"), &sources).unwrap();
    let o = hwf(&[
        "fetch",
        "--sources",
        &d.s("sources.toml"),
        "--cache",
        &d.s("cache"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let t = hwf(&["inspect", "--json", &d.s("inputs/population_month.parquet")]);
    let j: Value = serde_json::from_slice(&t.stdout).unwrap();
    assert_eq!(j["cells"], 21 * 11 * 2, "{j}");
    let total = std::fs::read_to_string(d.p("inputs/population_total.csv")).unwrap();
    assert_eq!(total.lines().count(), 1 + 2 * 3, "{total}");
    // A second sources file whose second table is wrong writes neither.
    std::fs::write(
        d.p("bad.toml"),
        sources
            .replace("population_month", "again")
            .replace("range(2026M01,2026M03)", "range(2026M03,2026M01)"),
    )
    .unwrap();
    let o = hwf(&[
        "fetch",
        "--sources",
        &d.s("bad.toml"),
        "--cache",
        &d.s("cache"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("2026M03 comes after 2026M01"),
        "{}",
        text(&o)
    );
    assert!(!d.p("inputs/again.parquet").exists());
    // An unknown key in a sources file is named.
    std::fs::write(
        d.p("typo.toml"),
        "[[table]]\nid = \"TAB1\"\nout = \"a.csv\"\nselekt = {}\n",
    )
    .unwrap();
    let o = hwf(&["fetch", "--sources", &d.s("typo.toml")]);
    assert!(text(&o).contains("selekt"), "{}", text(&o));
}

#[test]
fn the_table_listing_is_read_page_by_page() {
    let page1 = fixture_json("pxwebpy_tables.json");
    let config = fixture("scb_config_v2.3.2.json");
    let srv = Server::start(move |r, _| {
        if r.target.ends_with("/config") {
            return Resp::ok(config.clone());
        }
        // Three pages: the recorded first page, and the same cards renumbered, as pages 2 and 3.
        let n: u64 = r
            .target
            .split("pageNumber=")
            .nth(1)
            .and_then(|s| s.split('&').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        let mut p = page1.clone();
        p["page"]["pageNumber"] = json!(n);
        p["page"]["totalPages"] = json!(3);
        p["page"]["totalElements"] = json!(60);
        Resp::ok(serde_json::to_vec(&p).unwrap())
    });
    let o = hwf(&[
        "fetch",
        "--search",
        "anställningar",
        "--api",
        &srv.root,
        "--no-cache",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.lines().count(), 60);
    assert!(
        out.lines()
            .next()
            .unwrap()
            .starts_with("TAB4707\tAntal pågående anställningar")
    );
    assert!(text(&o).contains("60 of 60 table(s) listed"));
    let reqs = srv.requests();
    assert!(
        reqs[1].target.contains("query=anst%C3%A4llningar"),
        "{:?}",
        reqs[1]
    );
    assert_eq!(reqs.len(), 4);
}

/// A table in hwf's tidy CSV as the JSON-stat 2.0 answer a PxWebApi 2 server would give for it:
/// categories in order of first appearance, values in row-major order, `null` for absent cells.
fn jsonstat_of_csv(csv: &str, id: &str) -> Value {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let value_col = header.iter().position(|h| *h == "value").unwrap();
    let dims: Vec<usize> = (0..value_col)
        .filter(|&c| !header[c].ends_with("_sv") && !header[c].ends_with("_en"))
        .collect();
    let mut codes: Vec<Vec<String>> = vec![Vec::new(); dims.len()];
    let mut rows = Vec::new();
    for l in lines {
        let cells: Vec<&str> = l.split(',').collect();
        let mut key = Vec::new();
        for (i, &c) in dims.iter().enumerate() {
            let pos = match codes[i].iter().position(|x| x == cells[c]) {
                Some(p) => p,
                None => {
                    codes[i].push(cells[c].to_string());
                    codes[i].len() - 1
                }
            };
            key.push(pos);
        }
        rows.push((key, cells[value_col].parse::<f64>().unwrap()));
    }
    let sizes: Vec<usize> = codes.iter().map(Vec::len).collect();
    let mut values = vec![Value::Null; sizes.iter().product()];
    for (key, v) in rows {
        let flat = key.iter().zip(&sizes).fold(0, |acc, (k, n)| acc * n + k);
        values[flat] = json!(v);
    }
    let mut dimension = serde_json::Map::new();
    for (i, &c) in dims.iter().enumerate() {
        dimension.insert(
            header[c].to_string(),
            json!({"label": header[c], "category": {"index": codes[i]}}),
        );
    }
    json!({
        "version": "2.0", "class": "dataset", "label": "Population (hwf's embedded data as an API table)",
        "source": "hwf", "id": dims.iter().map(|&c| header[c]).collect::<Vec<_>>(),
        "size": sizes, "role": {"time": ["year"]}, "dimension": dimension, "value": values,
        "extension": {"px": {"tableid": id}}
    })
}

/// A table fetched into a folder and named in a scenario's `[inputs]`: the run's manifest carries
/// the record of the calls that made it.
#[test]
fn the_manifest_traces_a_fetched_input_to_its_requests() {
    let d = Dir::new();
    let emb = d.s("embedded.csv");
    assert!(
        hwf(&["convert", "embedded:population.px", &emb])
            .status
            .success()
    );
    let full = jsonstat_of_csv(&std::fs::read_to_string(&emb).unwrap(), "POP1");
    let meta = metadata_from(&full);
    let mut config = fixture_json("scb_config_v2.3.2.json");
    config["maxDataCells"] = json!(20000);
    config["timeWindow"] = json!(1);
    let config = serde_json::to_vec(&config).unwrap();
    let srv = table_server("POP1", config, meta, move |r, _| {
        Resp::ok(slice(&full, &r.body))
    });
    let out = d.s("population.csv");
    let o = fetch(&srv, "POP1", &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let posts = srv.requests().iter().filter(|r| r.method == "POST").count();
    assert!(posts > 2, "59 388 cells at 20 000 per call: {posts} calls");
    std::fs::write(
        d.p("scenario.toml"),
        "inherits = \"default\"\n[inputs]\npopulation = { file = \"population.csv\" }\n",
    )
    .unwrap();
    let sc = hwf::model::scenario::load(Some(&d.p("scenario.toml")))
        .unwrap()
        .0;
    let pr = hwf::model::run(&sc).unwrap();
    let m = hwf::publish::results::manifest(&pr, &[]);
    let pop = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "population")
        .unwrap();
    assert_eq!(pop["fetched"]["table"], "POP1");
    assert_eq!(pop["fetched"]["output"]["sha256"], pop["sha256"]);
    let calls = pop["fetched"]["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 2 + posts);
    assert!(
        calls
            .iter()
            .all(|c| c["url"].as_str().unwrap().starts_with(&srv.root))
    );
    // The report's data sources say it, in either language.
    let sv = hwf::publish::report::sources_html(&pr, hwf::table::Lang::Sv);
    assert!(sv.contains("tabell <code>POP1</code>"), "{sv}");
    assert!(
        sv.contains(&format!("hämtad från <code>{}</code>", srv.root)),
        "{sv}"
    );
    assert!(sv.contains("population.csv.source.json"), "{sv}");
    let en = hwf::publish::report::sources_html(&pr, hwf::table::Lang::En);
    assert!(
        en.contains("table <code>POP1</code>") && en.contains("by hwf fetch"),
        "{en}"
    );
}

/// A v1 table description made from a recorded answer: its variables and values; a variable the
/// recorded query left out may be eliminated (the server answered for it anyway).
fn v1_metadata_from(answer: &Value, query: &Value) -> Vec<u8> {
    let asked: Vec<&str> = query["query"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["code"].as_str().unwrap())
        .collect();
    let vars: Vec<Value> = answer["id"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            let id = id.as_str().unwrap();
            let index = &answer["dimension"][id]["category"]["index"];
            let mut codes: Vec<(u64, String)> = match index {
                Value::Object(o) => o
                    .iter()
                    .map(|(k, v)| (v.as_u64().unwrap(), k.clone()))
                    .collect(),
                Value::Array(a) => a
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (i as u64, c.as_str().unwrap().to_string()))
                    .collect(),
                _ => unreachable!(),
            };
            codes.sort();
            let values: Vec<String> = codes.into_iter().map(|(_, c)| c).collect();
            json!({"code": id, "text": answer["dimension"][id]["label"], "values": values,
                   "valueTexts": values, "elimination": !asked.contains(&id)})
        })
        .collect();
    serde_json::to_vec(&json!({"title": answer["label"], "variables": vars})).unwrap()
}

/// The `--select` options that ask for what a recorded v1 query asks for.
fn selects_of(query: &Value) -> Vec<String> {
    query["query"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["selection"]["filter"] == "item")
        .flat_map(|q| {
            let values: Vec<&str> = q["selection"]["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            [
                "--select".to_string(),
                format!("{}={}", q["code"].as_str().unwrap(), values.join(",")),
            ]
        })
        .collect()
}

/// Statistics Norway, Finland and Greenland speak the PxWeb API v1: hwf's request is the one
/// pxwebpy recorded, and the answers' status symbols (`..` in Norway's, `-` in Greenland's) are
/// kept, not made into numbers.
#[test]
fn v1_servers_get_the_recorded_queries_and_keep_their_symbols() {
    for (country, missing, zero) in [("no", 24, 0), ("gl", 0, 11), ("fi", 0, 0)] {
        let query = fixture_json(&format!("v1_query_{country}.json"));
        let answer = fixture(&format!("v1_response_{country}.json"));
        let meta = v1_metadata_from(&serde_json::from_slice(&answer).unwrap(), &query);
        let sent = Arc::new(Mutex::new(String::new()));
        let s2 = sent.clone();
        let srv = Server::start(move |r, _| match r.method.as_str() {
            // No `?config` on these servers: hwf assumes limits well below theirs.
            "GET" if r.target.ends_with("?config") => Resp::status(404, ""),
            "GET" => Resp::ok(meta.clone()),
            _ => {
                *s2.lock().unwrap() = r.body.clone();
                Resp::ok(answer.clone())
            }
        });
        let api = srv.root.replace("/api/v2", "/api/v0/no/table");
        let d = Dir::new();
        let out = d.s("t.csv");
        let selects = selects_of(&query);
        let mut args = vec!["fetch", "07221", "--api", &api, "--no-cache", "--out", &out];
        args.extend(selects.iter().map(String::as_str));
        let o = hwf(&args);
        assert!(o.status.success(), "{country}: {}", text(&o));
        let body: Value = serde_json::from_str(&sent.lock().unwrap()).unwrap();
        assert_eq!(body, query, "{country}: the request pxwebpy recorded");
        let j: Value = serde_json::from_slice(&hwf(&["inspect", "--json", &out]).stdout).unwrap();
        let count = |s: &str| j["status"][s].as_u64().unwrap_or(0);
        assert_eq!(count("missing"), missing, "{country}: {j}");
        assert_eq!(count("zero"), zero, "{country}: {j}");
        let rec: Value =
            serde_json::from_slice(&std::fs::read(d.p("t.csv.source.json")).unwrap()).unwrap();
        assert_eq!(rec["protocol"], "v1");
        assert_eq!(rec["config"]["maxDataCells"], 50000, "assumed limits");
        assert_eq!(
            rec["calls"].as_array().unwrap().len(),
            2,
            "metadata and data"
        );
    }
}

/// SCB's v1 service: its real table description (TAB3554's variables), the income answer with a
/// malformed time (`2024-01-12T05: 52: 00Z`), repaired with a warning; `?config` obeyed.
#[test]
fn scbs_v1_service_and_its_malformed_time() {
    let meta = fixture("v1_response_table_variables.json");
    let answer = fixture("v1_response_se.json");
    let query = fixture_json("v1_query_se.json");
    let sent = Arc::new(Mutex::new(String::new()));
    let s2 = sent.clone();
    let srv = Server::start(move |r, _| {
        if r.target.ends_with("?config") {
            Resp::ok(r#"{"maxValues":150000,"maxCalls":30,"timeWindow":10,"CORS":true}"#)
        } else if r.target.ends_with("/HE/HE0110/HE0110A/SamForvInk1") && r.method == "GET" {
            Resp::ok(meta.clone())
        } else if r.method == "POST" {
            *s2.lock().unwrap() = r.body.clone();
            Resp::ok(answer.clone())
        } else {
            Resp::status(404, "")
        }
    });
    let api = srv.root.replace("/api/v2", "/OV0104/v1/doris/sv/ssd");
    let d = Dir::new();
    let out = d.s("income.csv");
    let mut args = vec![
        "fetch",
        "HE/HE0110/HE0110A/SamForvInk1",
        "--api",
        &api,
        "--no-cache",
        "--out",
        &out,
        "--select",
        "Region=00",
    ];
    let selects = selects_of(&query);
    args.extend(selects.iter().map(String::as_str));
    let o = hwf(&args);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("read as 2024-01-12T05:52:00Z (spaces removed)"),
        "{}",
        text(&o)
    );
    let body: Value = serde_json::from_str(&sent.lock().unwrap()).unwrap();
    // As pxwebpy's query but for the region, selected here by code (its query used the value set
    // vs:RegionRiket99, which the server eliminates from the answer); Inkomstklass left out.
    let mut want = query.clone();
    want["query"][0] = json!({"code": "Region", "selection": {"filter": "item", "values": ["00"]}});
    assert_eq!(body, want);
    let rec: Value =
        serde_json::from_slice(&std::fs::read(d.p("income.csv.source.json")).unwrap()).unwrap();
    assert_eq!(rec["updated"], "2024-01-12T05:52:00Z");
    assert_eq!(rec["config"]["maxCallsPerTimeWindow"], 30);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv.lines().count(), 1 + 9, "{csv}");
}
