//! The story: delivery and the delivery-time scanners, the crawler, the people
//! at the office, on phones, at home and in Azure Virtual Desktop, the repeat
//! clicks and submits, and the three malformed rows.

use std::net::Ipv4Addr;

use super::agents::{
    AVD_UA, GO_HTTP, HEADLESS_UA, HOME_DEVICES, MIMECAST_UA, NOJS_UA, OFFICE_SCREENS, OFFICE_UAS,
    OUTLOOK_UA, PHONES, PROOFPOINT_UAS, SAFELINKS_UAS,
};
use super::cast::{Cast, MIMECAST_DEPARTMENT, PROOFPOINT_DEPARTMENT, Person};
use super::ranges::Block;
use super::rng::{Rng, addr};
use super::rows::{Carrier, DemoRow, Malformed, Source, Truth, format_time, hms, unreadable_time};
use super::{BAD_IP, BAD_SCREEN, RECIPIENTS};

struct Builder<'a> {
    rng: Rng,
    people: &'a [Person],
    rows: Vec<DemoRow>,
}

#[derive(Clone, Copy)]
struct Access<'s> {
    at: i64,
    event: &'static str,
    ip: Ipv4Addr,
    ua: &'s str,
    screen: &'s str,
    method: &'static str,
    source: Source,
}

impl Builder<'_> {
    fn push(&mut self, who: usize, a: Access<'_>) -> usize {
        let p = &self.people[who];
        self.rows.push(DemoRow {
            at: a.at,
            time: format_time(a.at),
            event: a.event,
            recipient: p.email.clone(),
            ip: a.ip.to_string(),
            user_agent: a.ua.to_string(),
            screen: a.screen.to_string(),
            method: a.method,
            department: p.department,
            truth: a.source.truth(),
            source: a.source,
            malformed: None,
        });
        self.rows.len() - 1
    }

    fn sent(&mut self, who: usize) {
        let p = &self.people[who];
        self.rows.push(DemoRow {
            at: p.delivered,
            time: format_time(p.delivered),
            event: "sent",
            recipient: p.email.clone(),
            ip: String::new(),
            user_agent: String::new(),
            screen: String::new(),
            method: "",
            department: p.department,
            truth: Truth::Delivery,
            source: Source::Delivery,
            malformed: None,
        });
    }
}

/// The rows of the story, in file order, drawn from `rng` after the cast.
pub(super) fn campaign(cast: &Cast, rng: Rng) -> Vec<DemoRow> {
    let people = &cast.people;
    let mut b = Builder {
        rng,
        people,
        rows: Vec::new(),
    };

    // Scanner fleets: a handful of addresses each, reused across recipients.
    let safelinks_40: Vec<Ipv4Addr> = (0..10)
        .map(|_| addr(&mut b.rng, Block::MicrosoftEop40))
        .collect();
    let safelinks_104: Vec<Ipv4Addr> = (0..5)
        .map(|_| addr(&mut b.rng, Block::MicrosoftEop104))
        .collect();
    let proofpoint: Vec<Ipv4Addr> = [
        Block::Proofpoint26211,
        Block::Proofpoint26211,
        Block::Proofpoint26211,
        Block::Proofpoint13916,
        Block::Proofpoint13916,
    ]
    .into_iter()
    .map(|n| addr(&mut b.rng, n))
    .collect();
    let proofpoint_rescan: Vec<Ipv4Addr> = (0..2)
        .map(|_| addr(&mut b.rng, Block::Proofpoint22843))
        .collect();
    let mimecast: Vec<Ipv4Addr> = (0..3).map(|_| addr(&mut b.rng, Block::Mimecast)).collect();
    let crawler: Vec<Ipv4Addr> = (0..2)
        .map(|_| addr(&mut b.rng, Block::GoogleCloud))
        .collect();
    let office_ip = addr(&mut b.rng, Block::OfficeIij);
    let avd_ip = addr(&mut b.rng, Block::AzureJapan);

    // 1. Delivery, and the delivery-time scanners.
    let mut safelinks_js_rows = Vec::new();
    for (who, person) in people.iter().enumerate() {
        b.sent(who);
        let d = person.delivered;
        if b.rng.percent(85) {
            let roll = b.rng.next_u64() % 100;
            if roll < 40 {
                // HEAD with Go's default client, then a GET with an old Chrome, no JS.
                let ip = *b.rng.pick(&safelinks_40);
                let t = d + b.rng.int_range(2, 9);
                let ua = *b.rng.pick(SAFELINKS_UAS);
                b.push(
                    who,
                    acc(t, "click", ip, GO_HTTP, "", "HEAD", Source::SafeLinks),
                );
                let t2 = t + b.rng.int_range(0, 2);
                b.push(who, acc(t2, "click", ip, ua, "", "GET", Source::SafeLinks));
            } else if roll < 65 {
                // A GET with no User-Agent at all.
                let ip = *b.rng.pick(&safelinks_104);
                let t = d + b.rng.int_range(3, 15);
                b.push(who, acc(t, "click", ip, "", "", "GET", Source::SafeLinks));
            } else {
                // Detonation in a browser that runs the page's JavaScript.
                let ip = *b.rng.pick(&safelinks_40);
                let t = d + b.rng.int_range(4, 20);
                let ua = *b.rng.pick(SAFELINKS_UAS);
                let row = b.push(
                    who,
                    acc(t, "click", ip, ua, "1920x1080", "GET", Source::SafeLinks),
                );
                safelinks_js_rows.push(row);
            }
        }
        if person.department == PROOFPOINT_DEPARTMENT && b.rng.percent(90) {
            let ip = *b.rng.pick(&proofpoint);
            let ua = *b.rng.pick(PROOFPOINT_UAS);
            let t = d + b.rng.int_range(5, 45);
            b.push(who, acc(t, "click", ip, ua, "", "GET", Source::Proofpoint));
        }
        if person.department == MIMECAST_DEPARTMENT {
            let ip = *b.rng.pick(&mimecast);
            let t = d + b.rng.int_range(3, 30);
            b.push(who, acc(t, "click", ip, "", "", "HEAD", Source::Mimecast));
            let t2 = t + b.rng.int_range(1, 3);
            b.push(
                who,
                acc(t2, "click", ip, MIMECAST_UA, "", "GET", Source::Mimecast),
            );
        }
    }

    // Safe Links also submits forms: one detonation posts the landing page's form.
    let mut submit = b.rows[safelinks_js_rows[0]].clone();
    submit.at += b.rng.int_range(2, 4);
    submit.time = format_time(submit.at);
    submit.event = "submit";
    submit.method = "POST";
    b.rows.push(submit);

    // Proofpoint re-scans a few messages from its sandbox half an hour to two hours later.
    let pp_people: Vec<usize> = (0..RECIPIENTS)
        .filter(|&i| people[i].department == PROOFPOINT_DEPARTMENT)
        .collect();
    for k in 0..5 {
        let who = pp_people[k * 5];
        let t = people[who].delivered + b.rng.int_range(35 * 60, 120 * 60);
        let ip = *b.rng.pick(&proofpoint_rescan);
        b.push(
            who,
            acc(
                t,
                "click",
                ip,
                PROOFPOINT_UAS[1],
                "",
                "GET",
                Source::Proofpoint,
            ),
        );
    }

    // 2. A headless crawler on Google Cloud sweeps 48 recipients in about half a minute.
    let mut swept: Vec<usize> = (0..RECIPIENTS).collect();
    b.rng.shuffle(&mut swept);
    swept.truncate(48);
    let mut t = hms(0, 15, 42, 7);
    for (k, &who) in swept.iter().enumerate() {
        let ip = crawler[k % 2];
        b.push(
            who,
            acc(
                t,
                "click",
                ip,
                HEADLESS_UA,
                "800x600",
                "GET",
                Source::CloudCrawler,
            ),
        );
        t += b.rng.int_range(0, 1);
    }

    // 3. People at the office: one proxy address, many recipients, hours apart.
    let office_end = hms(0, 18, 10, 0);
    let mut office_clicks = Vec::new();
    for (k, &who) in cast.office.iter().enumerate() {
        let d = people[who].delivered;
        let ua = b.rng.weighted(OFFICE_UAS, |w| w.1).0;
        let screen = b.rng.weighted(OFFICE_SCREENS, |w| w.1).0;
        // Most people read the mail soon after it arrives; one clicks in about a minute.
        let t = if k == 0 {
            d + b.rng.int_range(60, 90)
        } else {
            let span = (office_end - d - 240) as f64;
            d + 240 + (b.rng.unit().powi(2) * span) as i64
        };
        if b.rng.percent(60) {
            let open = t - b.rng.int_range(15, 120.min(t - d - 10));
            b.push(
                who,
                acc(
                    open,
                    "open",
                    office_ip,
                    OUTLOOK_UA,
                    "",
                    "GET",
                    Source::Office,
                ),
            );
        }
        let row = b.push(
            who,
            acc(t, "click", office_ip, ua, screen, "GET", Source::Office),
        );
        office_clicks.push(row);
        // Safe Links checks some of these clicks at the moment they happen.
        if k % 3 == 1 {
            let ip = *b.rng.pick(&safelinks_104);
            let at = t + b.rng.int_range(-2, 1);
            b.push(
                who,
                acc(at, "click", ip, "", "", "GET", Source::SafeLinksAtClick),
            );
        }
    }
    // People who open the mail (images loaded by Outlook) but never click.
    let clickers: Vec<usize> = [cast.avd, cast.no_js]
        .into_iter()
        .chain(cast.office.iter().copied())
        .chain(cast.phone.iter().copied())
        .chain(cast.home.iter().copied())
        .collect();
    let mut openers: Vec<usize> = (0..RECIPIENTS).filter(|i| !clickers.contains(i)).collect();
    b.rng.shuffle(&mut openers);
    for &who in openers.iter().take(36) {
        let d = people[who].delivered;
        let t = (d + 120 + (b.rng.unit().powi(2) * 5.0 * 3600.0) as i64).min(office_end);
        b.push(
            who,
            acc(t, "open", office_ip, OUTLOOK_UA, "", "GET", Source::Office),
        );
    }

    // 4. Phones in the evening (and three on the next morning's commute).
    let carriers = [
        (Carrier::Docomo, 4),
        (Carrier::Kddi, 3),
        (Carrier::SoftBank, 3),
        (Carrier::Rakuten, 2),
    ];
    let mut phone_clicks = Vec::new();
    let mut k = 0;
    for (carrier, n) in carriers {
        for _ in 0..n {
            let who = cast.phone[k];
            let (ua, screen, _) = *b.rng.weighted(PHONES, |p| p.2);
            let t = if k % 4 == 3 {
                b.rng.int_range(hms(1, 7, 10, 0), hms(1, 8, 40, 0))
            } else {
                b.rng.int_range(hms(0, 19, 0, 0), hms(0, 23, 30, 0))
            };
            let net = carrier_net(carrier, &mut b.rng);
            let ip = addr(&mut b.rng, net);
            let row = b.push(
                who,
                acc(t, "click", ip, ua, screen, "GET", Source::Phone(carrier)),
            );
            phone_clicks.push(row);
            k += 1;
        }
    }

    // 5. Own PCs on home lines in the evening.
    for (k, (&who, net)) in cast
        .home
        .iter()
        .zip([Block::Ocn, Block::SoNet, Block::Biglobe, Block::Optage])
        .enumerate()
    {
        let (ua, screen) = HOME_DEVICES[k];
        let t = b.rng.int_range(hms(0, 20, 0, 0), hms(0, 23, 0, 0));
        let ip = addr(&mut b.rng, net);
        b.push(who, acc(t, "click", ip, ua, screen, "GET", Source::HomePc));
    }

    // 6. The Azure Virtual Desktop user: a person on a Microsoft address, an hour after delivery.
    let t = people[cast.avd].delivered + b.rng.int_range(55 * 60, 70 * 60);
    b.push(
        cast.avd,
        acc(
            t,
            "click",
            avd_ip,
            AVD_UA,
            "1920x1080",
            "GET",
            Source::AzureVirtualDesktop,
        ),
    );

    // 7. The reader without JavaScript: next morning, from home, no screen size.
    let t = b.rng.int_range(hms(1, 7, 50, 0), hms(1, 8, 30, 0));
    let ip = addr(&mut b.rng, Block::SoNet);
    b.push(
        cast.no_js,
        acc(t, "click", ip, NOJS_UA, "", "GET", Source::NoJavaScript),
    );

    // 8. Submits: two office clickers and one phone clicker type into the form.
    for row in [office_clicks[3], office_clicks[9], phone_clicks[1]] {
        let mut submit = b.rows[row].clone();
        submit.at += b.rng.int_range(40, 150);
        submit.time = format_time(submit.at);
        submit.event = "submit";
        submit.method = "POST";
        b.rows.push(submit);
    }

    // 9. Repeat clicks: two office clickers come back later, one office clicker
    // tries again on a phone in the evening, one phone user taps twice.
    for row in [office_clicks[5], office_clicks[12]] {
        let mut again = b.rows[row].clone();
        again.at = (again.at + b.rng.int_range(20 * 60, 90 * 60)).min(office_end);
        again.time = format_time(again.at);
        b.rows.push(again);
    }
    let who = index_of(people, &b.rows[office_clicks[7]].recipient);
    let (ua, screen, _) = PHONES[1];
    let t = b.rng.int_range(hms(0, 20, 0, 0), hms(0, 22, 0, 0));
    let ip = addr(&mut b.rng, Block::Kddi);
    b.push(
        who,
        acc(
            t,
            "click",
            ip,
            ua,
            screen,
            "GET",
            Source::Phone(Carrier::Kddi),
        ),
    );
    let mut again = b.rows[phone_clicks[4]].clone();
    again.at += b.rng.int_range(40, 180);
    again.time = format_time(again.at);
    b.rows.push(again);

    let mut rows = b.rows;
    rows.sort_by_key(|r| r.at); // stable: ties keep generation order

    // 10. Three malformed rows, mid-file (at about 35 %, 50 % and 65 % of it).
    // Each repeats an access the story already has a few seconds later, so
    // dropping them changes no recipient's truth.
    let n = rows.len();
    let safelinks_js = |r: &DemoRow| r.source == Source::SafeLinks && !r.screen.is_empty();
    let office_click = |r: &DemoRow| r.source == Source::Office && r.event == "click";
    let mut broken = rows[nearest(&rows, n * 35 / 100, safelinks_js)].clone();
    broken.at += 1;
    broken.time = format_time(broken.at);
    broken.ip = BAD_IP.to_string();
    broken.malformed = Some(Malformed::Ip);
    let mut malformed = vec![broken];

    let mut broken = rows[nearest(&rows, n / 2, office_click)].clone();
    broken.at += 90;
    broken.time = unreadable_time(broken.at);
    broken.malformed = Some(Malformed::Time);
    malformed.push(broken);

    let mut broken = rows[nearest(&rows, n * 65 / 100, office_click)].clone();
    broken.at += 45;
    broken.time = format_time(broken.at);
    broken.screen = BAD_SCREEN.to_string();
    broken.malformed = Some(Malformed::Screen);
    malformed.push(broken);

    rows.extend(malformed);
    rows.sort_by_key(|r| r.at);
    rows
}

/// Index of the row nearest to `target` (searching outwards) that satisfies `pred`.
fn nearest(rows: &[DemoRow], target: usize, pred: impl Fn(&DemoRow) -> bool) -> usize {
    (0..rows.len())
        .flat_map(|d| [target.checked_add(d), target.checked_sub(d)])
        .flatten()
        .find(|&i| i < rows.len() && pred(&rows[i]))
        .expect("a row of the wanted kind exists")
}

fn acc<'s>(
    at: i64,
    event: &'static str,
    ip: Ipv4Addr,
    ua: &'s str,
    screen: &'s str,
    method: &'static str,
    source: Source,
) -> Access<'s> {
    Access {
        at,
        event,
        ip,
        ua,
        screen,
        method,
        source,
    }
}

fn carrier_net(carrier: Carrier, rng: &mut Rng) -> Block {
    match carrier {
        Carrier::Docomo if rng.percent(50) => Block::Docomo1,
        Carrier::Docomo => Block::Docomo49,
        Carrier::Kddi => Block::Kddi,
        Carrier::SoftBank => Block::SoftBank,
        Carrier::Rakuten => Block::Rakuten,
    }
}

fn index_of(people: &[Person], email: &str) -> usize {
    people
        .iter()
        .position(|p| p.email == email)
        .expect("row of a known recipient")
}
